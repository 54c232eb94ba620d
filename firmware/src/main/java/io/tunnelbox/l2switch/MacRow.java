package io.tunnelbox.l2switch;

/**
 * One MAC table entry as the management side sees it.
 *
 * @param transport  the segment's transport
 * @param segmentId  the segment's VNI or GRE key
 * @param mac        the MAC address in the low 48 bits
 * @param remote     the VTEP it was learned behind (IPv4 as int), 0 for the LAN
 * @param isStatic   configured, never ages
 * @param ageSeconds seconds since it was last learned
 * @param packets    frames sent to it
 */
public record MacRow(Transport transport, int segmentId, long mac, int remote, boolean isStatic, long ageSeconds,
                     long packets) {
}
