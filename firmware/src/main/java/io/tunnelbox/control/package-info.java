/**
 * The root-only local control socket: one read-only show command per connection, for scripts and
 * the lab (tunnelbox ctl).
 */
package io.tunnelbox.control;
