package io.tunnelbox.hal.offload;

import java.util.Locale;

/**
 * Which offloads a TUN/TAP port uses. {@code segmentation}: the kernel may hand over TCP
 * super-frames (TSO; the port cuts them into MTU-sized packets before the engine sees them) and
 * leave checksums to us. {@code coalescing}: the port joins in-order TCP segments of one flow into
 * a super-frame when it writes to the device (GRO). Either needs virtio-net headers on the device.
 */
public record Offloads(boolean segmentation, boolean coalescing) {
    public static final Offloads ALL = new Offloads(true, true);
    public static final Offloads NONE = new Offloads(false, false);

    public boolean any() {
        return segmentation || coalescing;
    }

    /**
     * Parses {@code all}, {@code none}, or a comma-separated list of {@code tso} and {@code gro}
     * (as given on the command line or in the configuration).
     */
    public static Offloads parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("all") || t.equals("on")) {
            return ALL;
        }
        if (t.equals("none") || t.equals("off") || t.isEmpty()) {
            return NONE;
        }
        boolean tso = false, gro = false;
        for (String word : t.split(",")) {
            switch (word.strip()) {
                case "tso" -> tso = true;
                case "gro" -> gro = true;
                default -> throw new IllegalArgumentException("unknown offload \"" + word.strip()
                        + "\" (expected all, none, or a list of tso and gro)");
            }
        }
        return new Offloads(tso, gro);
    }

    @Override
    public String toString() {
        return !any() ? "none" : segmentation && coalescing ? "tso,gro" : segmentation ? "tso" : "gro";
    }
}
