package io.tunnelbox.packet.pcap;

/**
 * One captured packet.
 *
 * @param timestampNanos capture time since the epoch
 * @param originalLength length on the wire (may exceed data.length when the capture was cut)
 * @param data the captured bytes
 */
public record PcapRecord(long timestampNanos, int originalLength, byte[] data) {
}
