/**
 * Status LEDs as devices: the Led interface, GPIO, sysfs and in-memory LEDs, blink patterns and the
 * board's set of LEDs by function.
 */
package io.tunnelbox.hal.led;
