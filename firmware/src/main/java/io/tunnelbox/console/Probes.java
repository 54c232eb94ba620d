package io.tunnelbox.console;

import java.time.Duration;

/**
 * One ICMP echo from the box itself, for the console's {@code ping} and {@code traceroute}. On
 * Linux the kernel sends it (through iputils' {@code ping}); on the {@code sim} board the
 * simulated box's own stack does. The console does the counting, pacing and Ctrl-C.
 */
public interface Probes {
    /** Where a probe leaves from: the box's LAN address (through the tunnels) or its WAN address. */
    enum Source {
        LAN, WAN
    }

    /**
     * @param target  IPv4 address
     * @param size    ICMP payload bytes (as ping's -s)
     * @param df      set don't-fragment (no fragmentation on the way)
     * @param ttl     time to live; traceroute raises it hop by hop
     * @param timeout how long to wait for the answer
     */
    record Request(String target, Source source, int size, boolean df, int ttl, Duration timeout) {
    }

    /** What came back. {@code from} is the answering address ("" on a timeout). */
    record Reply(Kind kind, String from, long micros, String detail) {
        public static Reply timeout() {
            return new Reply(Kind.TIMEOUT, "", 0, "");
        }
    }

    enum Kind {
        ECHO_REPLY, TIME_EXCEEDED, UNREACHABLE, FRAGMENTATION_NEEDED, TIMEOUT, ERROR
    }

    /** Sends one echo request and waits for its answer; interruptible. */
    Reply echo(Request request) throws InterruptedException;

    /** A box that cannot send probes says why. */
    Probes NONE = r -> new Reply(Kind.ERROR, "", 0, "ping is not available on this box");
}
