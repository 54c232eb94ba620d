/**
 * The sim board's stand-ins for hardware it does not have: NICs in memory.
 */
package io.tunnelbox.hal.sim;
