/**
 * In-memory packet ports and an in-memory underlay network: the sim board's devices and the tests'.
 */
package io.tunnelbox.hal.port.memory;
