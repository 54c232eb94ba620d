/**
 * The tunnel learning switch / VTEP: the seed's br-tun tables (0 classify, 1 unicast or not,
 * 2 tunnel id -> local VLAN, 10 learn, 20 learned unicast, 21 flood) run over batches of packets by
 * {@link io.tunnelbox.l2switch.SwitchDatapath}, configured with
 * {@link io.tunnelbox.l2switch.SegmentSpec}s, and printed like {@code ovs-ofctl dump-flows}.
 */
package io.tunnelbox.l2switch;
