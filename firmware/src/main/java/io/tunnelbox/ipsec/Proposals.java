package io.tunnelbox.ipsec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The algorithms the box proposes: AES-GCM-256 and ChaCha20-Poly1305, both with X25519. A CPU with
 * AES instructions (x86 "aes" flag, ARMv8 "aes" feature) gets AES-GCM first; one without (the
 * Raspberry Pi 4's Cortex-A72 as Raspberry Pi OS ships it) gets ChaCha20-Poly1305 first, which is
 * several times faster there in software. Both are offered, so two boxes always agree.
 */
public record Proposals(boolean aesFirst) {
    private static final String IKE_AES = "aes256gcm16-prfsha384-x25519";
    private static final String IKE_CHACHA = "chacha20poly1305-prfsha256-x25519";
    private static final String ESP_AES = "aes256gcm16-x25519";
    private static final String ESP_CHACHA = "chacha20poly1305-x25519";
    private static final Pattern AES = Pattern.compile("(?m)^(flags|Features)\\s*:.*\\baes\\b");

    /** From {@code /proc/cpuinfo}'s text. */
    public static Proposals forCpuInfo(String cpuinfo) {
        return new Proposals(AES.matcher(cpuinfo).find());
    }

    /** For the CPU this box runs on; AES first if {@code /proc/cpuinfo} cannot be read. */
    public static Proposals forThisCpu() {
        try {
            return forCpuInfo(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException e) {
            return new Proposals(true);
        }
    }

    public String ike() {
        return aesFirst ? IKE_AES + "," + IKE_CHACHA : IKE_CHACHA + "," + IKE_AES;
    }

    public String esp() {
        return aesFirst ? ESP_AES + "," + ESP_CHACHA : ESP_CHACHA + "," + ESP_AES;
    }
}
