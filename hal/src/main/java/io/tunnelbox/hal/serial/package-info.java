/**
 * The serial line under the console: the SerialLine interface and its jSerialComm implementation.
 */
package io.tunnelbox.hal.serial;
