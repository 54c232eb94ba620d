package io.tunnelbox.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;


/** Link and address events from the kernel, in a namespace of the test's own. */
class RtnetlinkTest {
    @RegisterExtension
    static final TestNamespace NET = new TestNamespace("rtnl");

    @Test
    void shouldReportALinkThatComesAndGoesAndItsAddresses() throws Exception {
        LinkedBlockingQueue<Rtnetlink.Event> events = new LinkedBlockingQueue<>();
        try (Rtnetlink monitor = NET.in().call(() -> Rtnetlink.start(events::add))) {
            NET.ip().run("link", "add", "tblnic0", "type", "veth", "peer", "name", "tblnic1");
            Rtnetlink.Event added = next(events, e -> e.kind() == Rtnetlink.Event.Kind.LINK_CHANGED && "tblnic0".equals(e.name()));
            int index = added.index();
            assertTrue(index > 0);

            NET.ip().run("link", "set", "tblnic0", "up");
            NET.ip().run("addr", "add", "198.51.100.7/24", "dev", "tblnic0");
            Rtnetlink.Event address = next(events, e -> e.kind() == Rtnetlink.Event.Kind.ADDRESS_ADDED && e.index() == index);
            assertEquals(TestPackets.ipv4("198.51.100.7"), address.address());
            assertEquals(24, address.prefixLength());

            NET.ip().run("addr", "del", "198.51.100.7/24", "dev", "tblnic0");
            next(events, e -> e.kind() == Rtnetlink.Event.Kind.ADDRESS_REMOVED && e.address() == TestPackets.ipv4("198.51.100.7"));

            NET.ip().run("link", "del", "tblnic0");
            next(events, e -> e.kind() == Rtnetlink.Event.Kind.LINK_REMOVED && e.index() == index);
            assertNotNull(monitor);
        }
    }

    private static Rtnetlink.Event next(LinkedBlockingQueue<Rtnetlink.Event> events, Predicate<Rtnetlink.Event> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            Rtnetlink.Event e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && wanted.test(e)) {
                return e;
            }
        }
        throw new AssertionError("no such event within 5 s; left: " + events);
    }
}
