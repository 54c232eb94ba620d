/**
 * {@code tunnelbox-flash}: the admin's tool for getting firmware onto boxes. It makes signing keys
 * and signed bundles, checks bundles, installs them into a root file system's A/B slots, turns a
 * stock OS image into a TunnelBox image, writes images to cards, pushes updates to running boxes
 * and opens a serial console. The bundle format itself is the firmware's {@code io.tunnelbox.update}.
 */
package io.tunnelbox.flash;
