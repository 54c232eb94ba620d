/**
 * The watchdog: the Linux device and systemd's notify socket, fed only while the engine makes progress.
 */
package io.tunnelbox.hal.watchdog;
