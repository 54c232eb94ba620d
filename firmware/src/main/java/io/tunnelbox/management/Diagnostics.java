package io.tunnelbox.management;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;

/** Troubleshooting from the box itself: a ping, a short capture of one tunnel's or segment's traffic. */
public interface Diagnostics {
    /** The output of {@code count} pings to {@code address} from the box, line by line. */
    List<String> ping(String address, int count) throws IOException;

    /**
     * Writes a pcap of the traffic of tunnel or segment {@code name} for {@code duration}, at most
     * {@code maxBytes} bytes, to {@code out}.
     */
    void capture(String name, Duration duration, long maxBytes, OutputStream out) throws IOException;

    /** False where the box cannot ping or capture (then every call throws). */
    default boolean available() {
        return true;
    }

    /** For boxes (and tests) without diagnostics: every call says so. */
    Diagnostics NONE = new Diagnostics() {
        @Override
        public boolean available() {
            return false;
        }

        @Override
        public List<String> ping(String address, int count) throws IOException {
            throw new IOException("diagnostics are not available on this box");
        }

        @Override
        public void capture(String name, Duration duration, long maxBytes, OutputStream out) throws IOException {
            throw new IOException("diagnostics are not available on this box");
        }
    };
}
