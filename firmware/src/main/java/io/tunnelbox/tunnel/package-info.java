/**
 * The GRE site-to-site router (the seed's RA/RB; to be renamed router): tunnels with keys, sequence
 * numbers, checksums and keepalives, routes into them, path MTU and MSS clamping (RouterDatapath).
 */
package io.tunnelbox.tunnel;
