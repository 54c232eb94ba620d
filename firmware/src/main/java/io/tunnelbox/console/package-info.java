/**
 * The serial maintenance console (login, operational and configure modes) and the one renderer of
 * the management records (DeviceView, ShowCommands) that the control socket shares.
 */
package io.tunnelbox.console;
