/**
 * The box's status as events on a bus, what the status LEDs show for them, and the services of a
 * board (LEDs, button, NIC monitor, watchdog) started and stopped together.
 */
package io.tunnelbox.hal.status;
