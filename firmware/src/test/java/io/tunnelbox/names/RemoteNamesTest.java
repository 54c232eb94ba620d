package io.tunnelbox.names;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.time.ManualClock;
import io.tunnelbox.packet.Ipv4Address;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A name followed on a manual clock with a resolver the test answers for. */
class RemoteNamesTest {
    static final String PEER = "peer.tunnelbox.test";
    static final int A = Ipv4Address.parse("198.51.100.7"), B = Ipv4Address.parse("198.51.100.8");

    /** Answers from a table; a name missing from it is unknown. Counts the lookups. */
    static final class TableResolver implements NameResolver {
        final Map<String, List<Integer>> table = new HashMap<>();
        final List<String> asked = new ArrayList<>();

        @Override
        public synchronized List<Integer> ipv4(String host) throws UnknownHostException {
            asked.add(host);
            List<Integer> a = table.get(host);
            if (a == null) {
                throw new UnknownHostException("unknown host " + host);
            }
            return a;
        }
    }

    final ManualClock clock = new ManualClock();
    final TableResolver dns = new TableResolver();
    final RemoteNames names = new RemoteNames(dns, clock, Duration.ofSeconds(60));
    final AtomicInteger changes = new AtomicInteger();

    RemoteNamesTest() {
        names.onChange(changes::incrementAndGet);
    }

    @Test
    void shouldResolveANewNameAtOnceAndAgainOnlyAfterThePeriod() {
        dns.table.put(PEER, List.of(A));
        names.track(Set.of(PEER));
        assertTrue(names.refresh());
        assertEquals(Map.of(PEER, A), names.addresses());
        assertEquals(1, changes.get());

        dns.table.put(PEER, List.of(B));
        clock.advance(Duration.ofSeconds(59));
        assertFalse(names.refresh(), "not due before the period");
        assertEquals(Map.of(PEER, A), names.addresses());
        assertEquals(1, dns.asked.size());

        clock.advance(Duration.ofSeconds(1));
        assertTrue(names.refresh(), "the new address is taken after the period");
        assertEquals(Map.of(PEER, B), names.addresses());
        assertEquals(2, changes.get());
    }

    @Test
    void shouldKeepTheAddressInUseWhenRoundRobinReordersTheAnswer() {
        dns.table.put(PEER, List.of(A, B));
        names.track(Set.of(PEER));
        names.refresh();
        dns.table.put(PEER, List.of(B, A));
        clock.advance(Duration.ofSeconds(60));
        assertFalse(names.refresh());
        assertEquals(Map.of(PEER, A), names.addresses());
        assertEquals(1, changes.get());
    }

    @Test
    void shouldKeepTheLastAddressOnFailureAndRetrySoonerWithBackoff() {
        dns.table.put(PEER, List.of(A));
        names.track(Set.of(PEER));
        names.refresh();
        dns.table.remove(PEER); // the DNS server is away
        clock.advance(Duration.ofSeconds(60));
        assertFalse(names.refresh());
        assertEquals(Map.of(PEER, A), names.addresses(), "a failed lookup keeps a working tunnel where it is");
        assertEquals("unknown host " + PEER, names.problem(PEER));
        int asked = dns.asked.size();

        clock.advance(Duration.ofMillis(1999));
        names.refresh();
        assertEquals(asked, dns.asked.size(), "first retry after 2 s");
        clock.advance(Duration.ofMillis(1));
        names.refresh();
        assertEquals(asked + 1, dns.asked.size());
        clock.advance(Duration.ofMillis(3999));
        names.refresh();
        assertEquals(asked + 1, dns.asked.size(), "then after 4 s");
        clock.advance(Duration.ofMillis(1));
        names.refresh();
        assertEquals(asked + 2, dns.asked.size());

        dns.table.put(PEER, List.of(B)); // back, with a new address
        clock.advance(Duration.ofSeconds(8));
        assertTrue(names.refresh());
        assertEquals(Map.of(PEER, B), names.addresses());
        assertNull(names.problem(PEER));
    }

    @Test
    void shouldSayWhyANameHasNoAddressUntilItResolves() {
        names.track(Set.of(PEER));
        assertNull(names.problem(PEER), "not asked yet: just waiting");
        assertFalse(names.refresh());
        assertEquals(Map.of(), names.addresses());
        assertEquals("unknown host " + PEER, names.problem(PEER));
        dns.table.put(PEER, List.of());
        clock.advance(Duration.ofSeconds(2));
        names.refresh();
        assertEquals("no IPv4 address", names.problem(PEER));
        dns.table.put(PEER, List.of(A));
        clock.advance(Duration.ofSeconds(4));
        assertTrue(names.refresh());
        assertEquals(Map.of(PEER, A), names.addresses());
    }

    @Test
    void shouldNeverTakeALoopbackMulticastOrBroadcastAnswerAsThePeer() {
        names.track(Set.of(PEER));
        for (String hostile : List.of("127.0.0.1", "0.0.0.0", "224.0.0.1", "239.1.2.3", "255.255.255.255", "240.0.0.1")) {
            dns.table.put(PEER, List.of(Ipv4Address.parse(hostile)));
            clock.advance(Duration.ofSeconds(60));
            assertFalse(names.refresh(), hostile);
            assertEquals(Map.of(), names.addresses(), "a hostile answer " + hostile + " is no peer");
            assertEquals("no usable IPv4 address (" + hostile + " is not a unicast address)", names.problem(PEER));
        }
        // A unicast address among hostile ones is the one taken; later hostile answers keep it.
        dns.table.put(PEER, List.of(Ipv4Address.parse("127.0.0.1"), A));
        clock.advance(Duration.ofSeconds(60));
        assertTrue(names.refresh());
        assertEquals(Map.of(PEER, A), names.addresses());
        dns.table.put(PEER, List.of(Ipv4Address.parse("224.0.0.5")));
        clock.advance(Duration.ofSeconds(60));
        assertFalse(names.refresh());
        assertEquals(Map.of(PEER, A), names.addresses(), "a hostile answer does not move a working tunnel");
        assertEquals(1, changes.get(), "one change: the first usable answer");
    }

    @Test
    void shouldForgetNamesNoLongerTracked() {
        dns.table.put(PEER, List.of(A));
        names.track(Set.of(PEER));
        names.refresh();
        names.track(Set.of());
        assertEquals(Map.of(), names.addresses());
        clock.advance(Duration.ofSeconds(120));
        names.refresh();
        assertEquals(1, dns.asked.size(), "a forgotten name is not looked up again");
    }

    @Test
    void shouldResolveOnItsOwnThreadAndTellTheListener() throws InterruptedException {
        dns.table.put(PEER, List.of(A));
        try (RemoteNames live = new RemoteNames(dns, io.tunnelbox.hal.time.Clock.SYSTEM, Duration.ofSeconds(60))) {
            java.util.concurrent.CountDownLatch told = new java.util.concurrent.CountDownLatch(1);
            live.onChange(told::countDown);
            live.start();
            live.track(Set.of(PEER));
            assertTrue(told.await(5, java.util.concurrent.TimeUnit.SECONDS), "resolved without anyone asking");
            assertEquals(Map.of(PEER, A), live.addresses());
        }
    }
}
