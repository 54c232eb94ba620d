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

class Ipv6RouteTableTest {

    private static int lookup(Ipv6RouteTable t, String addr) {
        Ipv6Prefix a = Ipv6Prefix.parse(addr);
        return t.lookup(a.hi(), a.lo());
    }

    @Test
    void shouldPickTheLongestMatchingPrefixAcrossBothHalves() {
        Ipv6RouteTable t = new Ipv6RouteTable();
        t.put(Ipv6Prefix.parse("::/0"), 0);
        t.put(Ipv6Prefix.parse("2001:db8::/32"), 1);
        t.put(Ipv6Prefix.parse("2001:db8:2::/48"), 2);
        t.put(Ipv6Prefix.parse("2001:db8:2::8000:0/97"), 3);
        t.put(Ipv6Prefix.parse("2001:db8:2::1/128"), 4);
        assertEquals(4, lookup(t, "2001:db8:2::1"));
        assertEquals(2, lookup(t, "2001:db8:2::2"));
        assertEquals(3, lookup(t, "2001:db8:2::8000:1"));
        assertEquals(1, lookup(t, "2001:db8:3::1"));
        assertEquals(0, lookup(t, "fe80::1"));
    }

    @Test
    void shouldRemoveRoutesAndGiveNodesBack() {
        Ipv6RouteTable t = new Ipv6RouteTable();
        int empty = t.nodesInUse();
        t.put(Ipv6Prefix.parse("2001:db8:2::1/128"), 4);
        assertEquals(4, t.remove(Ipv6Prefix.parse("2001:db8:2::1/128")));
        assertEquals(Ipv6RouteTable.NO_ROUTE, lookup(t, "2001:db8:2::1"));
        assertEquals(empty, t.nodesInUse());
    }

    @Test
    void shouldFormatAndParsePrefixesLikeRfc5952() {
        assertEquals("2001:db8:2::/48", Ipv6Prefix.parse("2001:0DB8:0002:0000::/48").toString());
        assertEquals("::/0", Ipv6Prefix.parse("::/0").toString());
        assertEquals("2001:db8::1:0:0:1/128", Ipv6Prefix.parse("2001:db8:0:0:1:0:0:1").toString());
        assertEquals("::ffff:c000:201/128", Ipv6Prefix.parse("::ffff:192.0.2.1").toString());
        assertThrows(IllegalArgumentException.class, () -> Ipv6Prefix.parseNetwork("2001:db8::1/64"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Prefix.parse("example.com/64"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Prefix.parse("192.0.2.1/32"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Prefix.parse("2001:db8::/129"));
    }

    @Test
    void shouldNotAllocatePerLookup() {
        Ipv6RouteTable t = new Ipv6RouteTable();
        Random r = new Random(2);
        for (int i = 0; i < 500; i++) {
            int len = 16 + r.nextInt(113);
            long hi = r.nextLong() & Ipv6Prefix.maskHi(len);
            long lo = r.nextLong() & Ipv6Prefix.maskLo(len);
            t.put(new Ipv6Prefix(hi, lo, len), i);
        }
        long[] his = r.longs(1024).toArray();
        long sink = 0;
        for (int i = 0; i < 200_000; i++) {
            sink += t.lookup(his[i & 1023], his[(i + 1) & 1023]);
        }
        long allocated = Allocation.measure(() -> {
            long s = 0;
            for (int i = 0; i < 1_000_000; i++) {
                s += t.lookup(his[i & 1023], his[(i + 1) & 1023]);
            }
            return s;
        });
        assertTrue(allocated < 1024, "1M lookups allocated " + allocated + " bytes (sink " + sink + ")");
    }

    @Property(tries = 200)
    void shouldAgreeWithALinearModel(@ForAll long seed, @ForAll @IntRange(min = 1, max = 150) int ops) {
        Random r = new Random(seed);
        Ipv6RouteTable t = new Ipv6RouteTable();
        List<Ipv6RouteTable.Route> model = new ArrayList<>();
        for (int op = 0; op < ops; op++) {
            int len = r.nextInt(129);
            long hi = addrHi(r);
            long lo = addrLo(r);
            Ipv6Prefix p = new Ipv6Prefix(hi & Ipv6Prefix.maskHi(len), lo & Ipv6Prefix.maskLo(len), len);
            model.removeIf(x -> x.prefix().equals(p));
            if (r.nextInt(3) == 0) {
                t.remove(p);
            } else {
                int target = r.nextInt(50);
                model.add(new Ipv6RouteTable.Route(p, target));
                t.put(p, target);
            }
            for (int q = 0; q < 8; q++) {
                long ah = addrHi(r);
                long al = addrLo(r);
                assertEquals(linear(model, ah, al), t.lookup(ah, al));
            }
        }
        assertEquals(model.size(), t.size());
    }

    /** Few distinct bits at the top of each half, so prefixes overlap often. */
    private static long addrHi(Random r) {
        return ((long) r.nextInt(4) << 62) | ((long) r.nextInt(4) << 30);
    }

    private static long addrLo(Random r) {
        return ((long) r.nextInt(4) << 62) | r.nextInt(4);
    }

    private static int linear(List<Ipv6RouteTable.Route> model, long hi, long lo) {
        int best = -1;
        int bestLen = -1;
        for (Ipv6RouteTable.Route x : model) {
            if (x.prefix().contains(hi, lo) && x.prefix().length() > bestLen) {
                best = x.target();
                bestLen = x.prefix().length();
            }
        }
        return best;
    }
}
