package io.tunnelbox.route;

import io.tunnelbox.packet.Ipv4Prefix;
import io.tunnelbox.packet.Ipv6Prefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv4RouteTableTest {

    private static int ip(String s) {
        return io.tunnelbox.packet.Ipv4Address.parse(s);
    }

    @Test
    void shouldPickTheLongestMatchingPrefix() {
        Ipv4RouteTable t = new Ipv4RouteTable();
        t.put(Ipv4Prefix.parse("0.0.0.0/0"), 0);
        t.put(Ipv4Prefix.parse("192.168.0.0/16"), 1);
        t.put(Ipv4Prefix.parse("192.168.2.0/24"), 2);
        t.put(Ipv4Prefix.parse("192.168.2.1/32"), 3);
        assertEquals(3, t.lookup(ip("192.168.2.1")));
        assertEquals(2, t.lookup(ip("192.168.2.2")));
        assertEquals(1, t.lookup(ip("192.168.3.1")));
        assertEquals(0, t.lookup(ip("10.0.0.1")));
        assertEquals(4, t.size());
    }

    @Test
    void shouldReturnNoRouteWhenNothingCovers() {
        Ipv4RouteTable t = new Ipv4RouteTable();
        assertEquals(Ipv4RouteTable.NO_ROUTE, t.lookup(ip("192.168.2.1")));
        t.put(Ipv4Prefix.parse("192.168.2.0/24"), 7);
        assertEquals(Ipv4RouteTable.NO_ROUTE, t.lookup(ip("192.168.1.1")));
        assertEquals(Ipv4RouteTable.NO_ROUTE, t.lookup(ip("192.168.3.0")));
    }

    @Test
    void shouldReplaceAndRemoveRoutesAndGiveNodesBack() {
        Ipv4RouteTable t = new Ipv4RouteTable();
        int empty = t.nodesInUse();
        assertEquals(Ipv4RouteTable.NO_ROUTE, t.put(Ipv4Prefix.parse("10.1.0.0/16"), 1));
        assertEquals(1, t.put(Ipv4Prefix.parse("10.1.0.0/16"), 2));
        t.put(Ipv4Prefix.parse("10.1.2.0/24"), 3);
        assertEquals(3, t.remove(Ipv4Prefix.parse("10.1.2.0/24")));
        assertEquals(2, t.lookup(ip("10.1.2.9")));
        assertEquals(Ipv4RouteTable.NO_ROUTE, t.remove(Ipv4Prefix.parse("10.1.2.0/24")));
        assertEquals(2, t.remove(Ipv4Prefix.parse("10.1.0.0/16")));
        assertEquals(0, t.size());
        assertEquals(empty, t.nodesInUse());
    }

    @Test
    void shouldRemoveEveryRouteOfATarget() {
        Ipv4RouteTable t = new Ipv4RouteTable();
        t.put(Ipv4Prefix.parse("10.0.0.0/8"), 1);
        t.put(Ipv4Prefix.parse("172.16.0.0/12"), 1);
        t.put(Ipv4Prefix.parse("192.168.2.0/24"), 2);
        assertEquals(2, t.removeTarget(1));
        assertEquals(List.of(new Ipv4RouteTable.Route(Ipv4Prefix.parse("192.168.2.0/24"), 2)), t.routes());
    }

    @Test
    void shouldListRoutesAsTheyWereGiven() {
        Ipv4RouteTable t = new Ipv4RouteTable();
        t.put(Ipv4Prefix.parse("192.168.2.0/24"), 2);
        t.put(Ipv4Prefix.parse("0.0.0.0/0"), 0);
        assertEquals("[Route[prefix=0.0.0.0/0, target=0], Route[prefix=192.168.2.0/24, target=2]]",
                t.routes().toString());
    }

    @Test
    void shouldRejectPrefixesWithHostBitsOrBadLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ipv4Prefix.parseNetwork("192.168.2.1/24"));
        assertEquals("192.168.2.1/24 has host bits set", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ipv4Prefix.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Prefix.parse("10.0.0/8"));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Prefix.parse("10.0.0.256/32"));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Prefix.parse("10.0.0.0/x"));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4RouteTable().put(Ipv4Prefix.parse("10.0.0.0/8"), -1));
    }

    @Test
    void shouldNotAllocatePerLookup() {
        Ipv4RouteTable t = new Ipv4RouteTable();
        Random r = new Random(1);
        for (int i = 0; i < 1000; i++) {
            int len = 8 + r.nextInt(25);
            t.put(new Ipv4Prefix(r.nextInt() & Ipv4Prefix.mask(len), len), i);
        }
        int[] addrs = r.ints(1024).toArray();
        long sink = 0;
        for (int i = 0; i < 200_000; i++) {
            sink += t.lookup(addrs[i & 1023]);
        }
        long allocated = Allocation.measure(() -> {
            long s = 0;
            for (int i = 0; i < 1_000_000; i++) {
                s += t.lookup(addrs[i & 1023]);
            }
            return s;
        });
        assertTrue(allocated < 1024, "1M lookups allocated " + allocated + " bytes (sink " + sink + ")");
    }

    /** The trie agrees with a linear scan over a list on random adds, removes and lookups. */
    @Property(tries = 200)
    void shouldAgreeWithALinearModel(@ForAll long seed, @ForAll @IntRange(min = 1, max = 200) int ops) {
        Random r = new Random(seed);
        Ipv4RouteTable t = new Ipv4RouteTable();
        List<Ipv4RouteTable.Route> model = new ArrayList<>();
        // few distinct high bits so prefixes overlap often
        for (int op = 0; op < ops; op++) {
            int len = r.nextInt(33);
            int addr = (r.nextInt(4) << 30) | (r.nextInt(4) << 20) | r.nextInt(1 << 8);
            Ipv4Prefix p = new Ipv4Prefix(addr & Ipv4Prefix.mask(len), len);
            if (r.nextInt(3) == 0) {
                model.removeIf(x -> x.prefix().equals(p));
                t.remove(p);
            } else {
                int target = r.nextInt(50);
                model.removeIf(x -> x.prefix().equals(p));
                model.add(new Ipv4RouteTable.Route(p, target));
                t.put(p, target);
            }
            for (int q = 0; q < 8; q++) {
                int a = (r.nextInt(4) << 30) | (r.nextInt(4) << 20) | r.nextInt(1 << 9);
                assertEquals(linear(model, a), t.lookup(a));
            }
        }
        assertEquals(model.size(), t.size());
    }

    private static int linear(List<Ipv4RouteTable.Route> model, int a) {
        int best = -1;
        int bestLen = -1;
        for (Ipv4RouteTable.Route x : model) {
            if (x.prefix().contains(a) && x.prefix().length() > bestLen) {
                best = x.target();
                bestLen = x.prefix().length();
            }
        }
        return best;
    }
}
