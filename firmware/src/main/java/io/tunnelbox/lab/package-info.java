/**
 * The network-namespace lab (tunnelbox lab): the seed's RA/RB and VTEP topologies with real
 * TunnelBox processes, a kernel VXLAN peer and independent decoders, checked end to end.
 */
package io.tunnelbox.lab;
