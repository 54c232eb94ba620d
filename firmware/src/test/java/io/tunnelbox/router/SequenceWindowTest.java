package io.tunnelbox.router;

import static io.tunnelbox.router.SequenceWindow.ACCEPT;
import static io.tunnelbox.router.SequenceWindow.JUMP;
import static io.tunnelbox.router.SequenceWindow.OLD;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SequenceWindowTest {

    @Test
    void shouldAcceptTheFirstPacketWhateverItsNumber() {
        assertEquals(ACCEPT, new SequenceWindow().check(123_456));
    }

    @Test
    void shouldAcceptNewerPacketsIncludingGaps() {
        SequenceWindow w = new SequenceWindow(100);
        assertEquals(ACCEPT, w.check(1));
        assertEquals(ACCEPT, w.check(2));
        assertEquals(ACCEPT, w.check(50)); // 47 lost
        assertEquals(50, w.last());
    }

    @Test
    void shouldDropDuplicatesAndReorderedPackets() {
        SequenceWindow w = new SequenceWindow(100);
        w.check(10);
        assertEquals(OLD, w.check(10));
        assertEquals(OLD, w.check(9));
        assertEquals(ACCEPT, w.check(12));
        assertEquals(OLD, w.check(11)); // arrived late: discarded, RFC 2890 allows no reordering
    }

    @Test
    void shouldAcceptAcrossTheWrapOfTheCounter() {
        SequenceWindow w = new SequenceWindow(100);
        w.check(0xFFFF_FFFE);
        assertEquals(ACCEPT, w.check(0xFFFF_FFFF));
        assertEquals(ACCEPT, w.check(0));
        assertEquals(ACCEPT, w.check(1));
        assertEquals(OLD, w.check(0xFFFF_FFFF));
    }

    @Test
    void shouldNotLetOneForgedFarAheadPacketWedgeTheTunnel() {
        SequenceWindow w = new SequenceWindow(100);
        w.check(1000);
        assertEquals(JUMP, w.check(1000 + 0x7FFF_0000));
        assertEquals(ACCEPT, w.check(1001)); // genuine traffic still flows
        assertEquals(JUMP, w.check(1001 + 101));
    }

    @Test
    void shouldMoveTheWindowAfterARunOfInOrderFarPackets() {
        SequenceWindow w = new SequenceWindow(100);
        w.check(50_000);
        // the peer restarted and counts from 0 again: behind us, so "old", until it passes; and a
        // peer that jumped far ahead (long outage) is followed after RESYNC_RUN packets
        assertEquals(JUMP, w.check(90_000));
        assertEquals(JUMP, w.check(90_001));
        assertEquals(JUMP, w.check(90_003));
        assertEquals(ACCEPT, w.check(90_004));
        assertEquals(ACCEPT, w.check(90_005));
        assertEquals(OLD, w.check(50_001));
    }

    @Test
    void shouldNotResyncOnScatteredFarPackets() {
        SequenceWindow w = new SequenceWindow(100);
        w.check(0);
        for (int i = 1; i <= 20; i++) {
            assertEquals(JUMP, w.check(i * 1_000_000)); // each far from the one before
        }
        assertEquals(ACCEPT, w.check(1));
    }

    @Test
    void shouldFollowAPeerThatRestartedAndCountsFromOneAgain() {
        SequenceWindow w = new SequenceWindow();
        for (int seq = 1; seq <= 500; seq++) {
            assertEquals(SequenceWindow.ACCEPT, w.check(seq));
        }
        // The peer restarts: 1, 2, 3 look old; the fourth in a row moves the window.
        for (int seq = 1; seq < SequenceWindow.RESYNC_RUN; seq++) {
            assertEquals(SequenceWindow.OLD, w.check(seq));
        }
        assertEquals(SequenceWindow.ACCEPT, w.check(SequenceWindow.RESYNC_RUN));
        assertEquals(SequenceWindow.ACCEPT, w.check(SequenceWindow.RESYNC_RUN + 1));
        assertEquals(SequenceWindow.OLD, w.check(SequenceWindow.RESYNC_RUN), "a duplicate after the resync is old");
    }

    @Test
    void shouldNotResyncBackwardsOnAFewReplayedOrReorderedPackets() {
        SequenceWindow w = new SequenceWindow();
        for (int seq = 1; seq <= 100; seq++) {
            w.check(seq);
        }
        assertEquals(SequenceWindow.OLD, w.check(50));
        assertEquals(SequenceWindow.OLD, w.check(40));
        assertEquals(SequenceWindow.OLD, w.check(60));
        assertEquals(SequenceWindow.ACCEPT, w.check(101));
        assertEquals(101, w.last());
    }

    @Test
    void shouldStartAfreshAfterReset() {
        SequenceWindow w = new SequenceWindow(100);
        w.check(50_000);
        w.reset();
        assertEquals(ACCEPT, w.check(0));
        assertEquals(ACCEPT, w.check(1));
    }
}
