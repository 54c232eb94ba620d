/**
 * Capture files, classic pcap and pcapng, for captures and tests (these allocate: not for the
 * forwarding path). {@link io.tunnelbox.packet.pcap.CaptureReader#open} reads either format.
 */
package io.tunnelbox.packet.pcap;
