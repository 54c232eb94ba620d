package io.tunnelbox.packet.pcap;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Damaged capture files give an IOException or fewer packets, never another exception or a hang. */
class CaptureFuzzTest {
    @Test
    void shouldSurviveMutatedCaptureFiles() throws IOException {
        byte[] classic = sample(false);
        byte[] ng = sample(true);
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            boolean isNg = random.nextBoolean();
            byte[] file = (isNg ? ng : classic).clone();
            for (int e = 0; e < 1 + random.nextInt(3); e++) {
                file[random.nextInt(file.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                file = Arrays.copyOf(file, random.nextInt(file.length));
            }
            readAll(file, isNg);
        }
    }

    private static void readAll(byte[] file, boolean ng) {
        try (CaptureReader reader = ng ? new PcapNgReader(new ByteArrayInputStream(file))
                : new PcapReader(new ByteArrayInputStream(file))) {
            for (int n = 0; n < 100 && reader.next() != null; n++) {
                reader.linkType();
            }
        } catch (IOException expected) {
            // a clear refusal is the right answer to a damaged file
        }
    }

    private static byte[] sample(boolean ng) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (ng) {
            try (PcapNgWriter writer = new PcapNgWriter(out, LinkType.RAW)) {
                for (int i = 0; i < 5; i++) {
                    writer.write(i * 1000L, new byte[10 + i]);
                }
            }
        } else {
            try (PcapWriter writer = new PcapWriter(out, LinkType.RAW)) {
                for (int i = 0; i < 5; i++) {
                    writer.write(i * 1000L, new byte[10 + i]);
                }
            }
        }
        return out.toByteArray();
    }
}
