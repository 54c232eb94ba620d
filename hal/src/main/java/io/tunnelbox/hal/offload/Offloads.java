package io.tunnelbox.hal.offload;

import java.util.Locale;

/**
 * Which offloads the Linux ports use. {@code segmentation} (tso): a TUN/TAP device may hand over
 * TCP super-frames (the port cuts them into MTU-sized packets before the engine sees them) and
 * leave checksums to us. {@code coalescing} (gro): the TUN/TAP port joins in-order TCP segments of
 * one flow, and runs of equal-sized IPv4 UDP datagrams of one flow, into a super-frame when it
 * writes to the device. {@code udpSegmentation} (uso): the VXLAN
 * port sends a run of equal-sized delivery packets of one flow as one UDP_SEGMENT send, which the
 * kernel cuts into datagrams as late as it can. {@code udpGro} (uro): the VXLAN port's receive
 * sockets take UDP_GRO, so such a run arrives in one read and is cut back into datagrams in the
 * port. The first two need virtio-net headers on the device.
 */
public record Offloads(boolean segmentation, boolean coalescing, boolean udpSegmentation, boolean udpGro) {
    public static final Offloads ALL = new Offloads(true, true, true, true);
    public static final Offloads NONE = new Offloads(false, false, false, false);

    /** Whether the TUN/TAP device needs virtio-net headers. */
    public boolean any() {
        return segmentation || coalescing;
    }

    /** These offloads without the UDP ones (what a TUN/TAP port can use). */
    public Offloads withoutUdp() {
        return new Offloads(segmentation, coalescing, false, false);
    }

    /**
     * Parses {@code all}, {@code none}, or a comma-separated list of {@code tso}, {@code gro},
     * {@code uso} and {@code uro} (as given on the command line or in the environment).
     */
    public static Offloads parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("all") || t.equals("on")) {
            return ALL;
        }
        if (t.equals("none") || t.equals("off") || t.isEmpty()) {
            return NONE;
        }
        boolean tso = false, gro = false, uso = false, uro = false;
        for (String word : t.split(",")) {
            switch (word.strip()) {
                case "tso" -> tso = true;
                case "gro" -> gro = true;
                case "uso" -> uso = true;
                case "uro" -> uro = true;
                default -> throw new IllegalArgumentException("unknown offload \"" + word.strip()
                        + "\" (expected all, none, or a list of tso, gro, uso and uro)");
            }
        }
        return new Offloads(tso, gro, uso, uro);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (segmentation) {
            s.append("tso,");
        }
        if (coalescing) {
            s.append("gro,");
        }
        if (udpSegmentation) {
            s.append("uso,");
        }
        if (udpGro) {
            s.append("uro,");
        }
        return s.isEmpty() ? "none" : s.substring(0, s.length() - 1);
    }
}
