/**
 * The GRE site-to-site router (the seed's RA/RB): tunnels with keys, sequence
 * numbers, checksums and keepalives, routes into them, path MTU and MSS clamping (RouterDatapath).
 */
package io.tunnelbox.router;
