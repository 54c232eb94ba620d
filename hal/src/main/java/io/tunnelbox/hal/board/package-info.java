/**
 * Board definitions: the board files (NIC roles, LEDs, button, console, watchdog), their reader and
 * the detection of the board a box runs on.
 */
package io.tunnelbox.hal.board;
