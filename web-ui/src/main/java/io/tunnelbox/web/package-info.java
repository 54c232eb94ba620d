/**
 * The embedded web UI: the management front end the firmware finds at run time
 * ({@link io.tunnelbox.web.WebFrontEnd}), its HTTPS server, JSON API and static page.
 */
package io.tunnelbox.web;
