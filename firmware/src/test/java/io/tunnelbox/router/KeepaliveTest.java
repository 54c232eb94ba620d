package io.tunnelbox.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeepaliveTest {
    private static final long S = 1_000_000_000L;

    @Test
    void shouldSendAtOnceAndThenEveryInterval() {
        Keepalive k = new Keepalive(10 * S, 3, 0, 0);
        assertTrue(k.due(0, 0));
        assertFalse(k.due(5 * S, 5000));
        assertFalse(k.due(10 * S - 1, 9999));
        assertTrue(k.due(10 * S, 10_000));
        assertFalse(k.due(19 * S, 19_000));
        assertTrue(k.due(20 * S, 20_000));
    }

    @Test
    void shouldStayUpWhileRepliesComeBack() {
        Keepalive k = new Keepalive(10 * S, 3, 0, 0);
        for (long t = 0; t < 100; t += 10) {
            assertTrue(k.due(t * S, t * 1000));
            k.replied(t * S + S / 10, t * 1000 + 100);
        }
        assertEquals(LinkState.UP, k.state());
        assertEquals(Keepalive.REASON_CONFIGURED, k.reason());
    }

    @Test
    void shouldGoDownWhenRetriesGoUnansweredAndUpOnTheNextReply() {
        Keepalive k = new Keepalive(10 * S, 3, 0, 1_000);
        k.due(0, 1_000);
        k.due(10 * S, 11_000);
        k.due(20 * S, 21_000);
        assertEquals(LinkState.UP, k.state());
        assertEquals(3, k.unanswered());
        assertTrue(k.due(30 * S, 31_000)); // still sends: that is how it finds the peer again
        assertEquals(LinkState.DOWN, k.state());
        assertEquals(Keepalive.REASON_TIMEOUT, k.reason());
        assertEquals(30 * S, k.lastChangeNanos());
        assertEquals(31_000, k.lastChangeEpochMillis());

        k.replied(35 * S, 36_000);
        assertEquals(LinkState.UP, k.state());
        assertEquals(Keepalive.REASON_REPLY, k.reason());
        assertEquals(36_000, k.lastChangeEpochMillis());
        assertEquals(0, k.unanswered());
    }

    @Test
    void shouldNotBurstAfterALateTick() {
        Keepalive k = new Keepalive(10 * S, 3, 0, 0);
        k.due(0, 0);
        assertTrue(k.due(100 * S, 100_000));
        assertFalse(k.due(101 * S, 101_000));
        assertTrue(k.due(110 * S, 110_000));
    }

    @Test
    void shouldNeverFireOrChangeWhenDisabled() {
        Keepalive k = new Keepalive(0, 3, 0, 0);
        assertFalse(k.enabled());
        for (long t = 0; t < 1000; t++) {
            assertFalse(k.due(t * S, t));
        }
        assertEquals(LinkState.UP, k.state());
    }
}
