/** The embedded web UI: HTTP(S) server, JSON API and static page; not built yet (no open issue). */
package io.tunnelbox.web;
