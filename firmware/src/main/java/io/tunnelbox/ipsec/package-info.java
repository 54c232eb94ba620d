/**
 * Encrypted tunnels: the kernel's IPsec (xfrm, ESP in transport mode) protects this box's GRE and
 * VXLAN packets to each peer that asks for it, and strongSwan's charon does IKEv2. The box writes a
 * {@code swanctl.conf} for each configuration, loads it with {@code swanctl --load-all}, and reads
 * the security associations back with {@code swanctl --list-sas}; it runs its own charon (own
 * configuration, VICI socket and log under the box's run directory) unless the system runs one.
 */
package io.tunnelbox.ipsec;
