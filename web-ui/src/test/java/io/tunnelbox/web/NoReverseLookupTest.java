package io.tunnelbox.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The web jar turns reverse DNS off in the process (the HTTPS server asks for every client's name). */
class NoReverseLookupTest {
    @Test
    void shouldAnswerTheAddressAtOnceInsteadOfAskingDns() throws Exception {
        long t = System.nanoTime();
        // 192.0.2.77 (RFC 5737) has no PTR record anywhere; with DNS unreachable this took 5 s.
        assertEquals("192.0.2.77", InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 77}).getHostName());
        assertTrue(System.nanoTime() - t < 1_000_000_000L, "no resolver was asked");
        // /etc/hosts would name it "localhost": not even the hosts file is asked.
        assertEquals("127.0.0.1", InetAddress.getByAddress(new byte[] {127, 0, 0, 1}).getHostName());
        assertTrue(InetAddress.getByName("localhost").isLoopbackAddress(), "forward lookups still work");
    }
}
