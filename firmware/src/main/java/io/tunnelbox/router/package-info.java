/**
 * The GRE site-to-site router (the seed's RA/RB): tunnels with keys, sequence numbers, checksums, keepalives,
 * routes, path MTU and MSS clamping; RouterDatapath wires LanToTunnel, TunnelToLan and the timers.
 */
package io.tunnelbox.router;
