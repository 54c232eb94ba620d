package io.tunnelbox.hal.port.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MemoryWanTest {
    static final int RA = 0xC6336401; // 198.51.100.1
    static final int RB = 0xCB007101; // 203.0.113.1
    static final int RC = 0xC0000201; // 192.0.2.1
    static final int GROUP = 0xEF010101; // 239.1.1.1

    static byte[] ipv4(int src, int dst) {
        byte[] p = new byte[28];
        p[0] = 0x45;
        p[3] = 28;
        p[9] = 47;
        for (int i = 0; i < 4; i++) {
            p[12 + i] = (byte) (src >>> (24 - 8 * i));
            p[16 + i] = (byte) (dst >>> (24 - 8 * i));
        }
        return p;
    }

    @Test
    void deliversByDestinationAndCapturesInOrder() {
        MemoryWan wan = new MemoryWan();
        MemoryPort a = wan.attach("ra-wan", RA, 1500);
        MemoryPort b = wan.attach("rb-wan", RB, 1500);
        a.sendBytes(ipv4(RA, RB));
        b.sendBytes(ipv4(RB, RA));
        assertEquals(1, b.pending());
        assertEquals(1, a.pending());
        assertEquals(2, wan.captured().size());
        assertArrayEquals(ipv4(RA, RB), wan.captured().get(0));
        assertEquals(0, wan.dropped());
    }

    @Test
    void multicastReachesMembersButNotTheSender() {
        MemoryWan wan = new MemoryWan();
        MemoryPort a = wan.attach("a", RA, 1500);
        MemoryPort b = wan.attach("b", RB, 1500);
        MemoryPort c = wan.attach("c", RC, 1500);
        wan.join(a, GROUP);
        wan.join(b, GROUP);
        a.sendBytes(ipv4(RA, GROUP));
        assertEquals(0, a.pending());
        assertEquals(1, b.pending());
        assertEquals(0, c.pending());
        wan.leave(b, GROUP);
        a.sendBytes(ipv4(RA, GROUP));
        assertEquals(1, b.pending());
        assertEquals(1, wan.dropped());
    }

    @Test
    void downLinksAndUnknownAddressesDropAndReaddressingMovesDelivery() {
        MemoryWan wan = new MemoryWan();
        MemoryPort a = wan.attach("a", RA, 1500);
        MemoryPort b = wan.attach("b", RB, 1500);
        a.sendBytes(ipv4(RA, RC));
        assertEquals(1, wan.dropped());
        wan.setUp(b, false);
        a.sendBytes(ipv4(RA, RB));
        assertEquals(2, wan.dropped());
        wan.setUp(b, true);
        wan.readdress(b, RC);
        a.sendBytes(ipv4(RA, RB));
        a.sendBytes(ipv4(RA, RC));
        assertEquals(3, wan.dropped());
        assertEquals(1, b.pending());
        a.sendBytes(new byte[] {0x60, 0, 0, 0});
        assertEquals(4, wan.dropped());
        assertThrows(IllegalArgumentException.class, () -> wan.attach("x", RA, 1500));
    }
}
