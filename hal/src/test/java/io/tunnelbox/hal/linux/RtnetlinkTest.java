package io.tunnelbox.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tunnelbox.hal.testing.Requirements;

/** Link and address events from the kernel, in a namespace of the test's own. */
class RtnetlinkTest {
    private static Namespaces namespaces;
    private static String ns;
    private static NetNamespace netns;

    @BeforeAll
    static void namespace() {
        Requirements.root();
        Requirements.tool("ip");
        namespaces = new Namespaces();
        ns = namespaces.add("rtnl");
        netns = namespaces.enter(ns);
    }

    @AfterAll
    static void cleanUp() {
        if (namespaces != null) {
            namespaces.close();
        }
    }

    @Test
    void shouldReportALinkThatComesAndGoesAndItsAddresses() throws Exception {
        LinkedBlockingQueue<Rtnetlink.Event> events = new LinkedBlockingQueue<>();
        try (Rtnetlink monitor = netns.call(() -> Rtnetlink.start(events::add))) {
            Ip.in(ns).run("link", "add", "tblnic0", "type", "veth", "peer", "name", "tblnic1");
            Rtnetlink.Event added = next(events, e -> e.kind() == Rtnetlink.Event.Kind.LINK_CHANGED && "tblnic0".equals(e.name()));
            int index = added.index();
            assertTrue(index > 0);

            Ip.in(ns).run("link", "set", "tblnic0", "up");
            Ip.in(ns).run("addr", "add", "198.51.100.7/24", "dev", "tblnic0");
            Rtnetlink.Event address = next(events, e -> e.kind() == Rtnetlink.Event.Kind.ADDRESS_ADDED && e.index() == index);
            assertEquals(TestPackets.ipv4("198.51.100.7"), address.address());
            assertEquals(24, address.prefixLength());

            Ip.in(ns).run("addr", "del", "198.51.100.7/24", "dev", "tblnic0");
            next(events, e -> e.kind() == Rtnetlink.Event.Kind.ADDRESS_REMOVED && e.address() == TestPackets.ipv4("198.51.100.7"));

            Ip.in(ns).run("link", "del", "tblnic0");
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
