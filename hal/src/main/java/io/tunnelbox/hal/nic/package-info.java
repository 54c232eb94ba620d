/**
 * NICs from the operating system's view: inventory from sysfs, role assignment from the board file
 * and link state events.
 */
package io.tunnelbox.hal.nic;
