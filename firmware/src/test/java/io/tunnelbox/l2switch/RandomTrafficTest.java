package io.tunnelbox.l2switch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tunnelbox.engine.SimNetwork;
import io.tunnelbox.hal.port.memory.MemoryWan;
import io.tunnelbox.hal.time.ManualClock;
import io.tunnelbox.packet.EtherType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Three sites on one segment (head-end replication or a multicast group) against a model of a learning switch with hard-timeout ageing: random
 * hosts send broadcasts and unicasts (to known, aged-out and never-seen MACs) at random times, and
 * after every frame the LANs and the WAN must have seen exactly what the model says.
 */
class RandomTrafficTest {
    static final int SITES = 3;
    static final int HOSTS_PER_SITE = 4;
    static final long AGEING = Duration.ofSeconds(300).toNanos();

    static long mac(int site, int host) {
        return 0x02_00_00_00_00_00L | (long) site << 8 | host;
    }

    @Test
    void shouldForwardExactlyAsALearningSwitchWithHardTimeouts() {
        for (long seed = 0; seed < 6; seed++) {
            run(seed, Transport.values()[(int) (seed % 2)], seed >= 4);
        }
    }

    private void run(long seed, Transport transport, boolean multicast) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ManualClock clock = new ManualClock();
        MemoryWan underlay = new MemoryWan();
        SimNetwork net = new SimNetwork(clock);
        List<Box> sites = new ArrayList<>();
        for (int s = 0; s < SITES; s++) {
            sites.add(new Box("s" + s, "10.0.0." + (s + 1), underlay, clock));
        }
        int group = Frames.ip("239.5.5.5");
        for (Box b : sites) {
            List<Integer> peers = sites.stream().filter(o -> o != b).map(o -> o.address).toList();
            b.segment(multicast ? SegmentSpec.multicast(transport, 42, 7, group)
                    .withAllow(List.of(io.tunnelbox.packet.Ipv4Prefix.parse("10.0.0.0/24")))
                    : SegmentSpec.headEnd(transport, 42, 7, peers));
            underlay.join(b.wan, group);
            net.add(b.sw);
        }
        // Model: when each site's switch last learned each MAC (-1: never).
        long[][] learnedAt = new long[SITES][SITES * HOSTS_PER_SITE + 1];
        for (long[] row : learnedAt) {
            java.util.Arrays.fill(row, -1);
        }

        for (int step = 0; step < 400; step++) {
            net.advance(Duration.ofSeconds(rnd.nextInt(120)), Duration.ofSeconds(30));
            long now = clock.nanoTime();
            int site = rnd.nextInt(SITES);
            int host = rnd.nextInt(HOSTS_PER_SITE);
            int srcIndex = site * HOSTS_PER_SITE + host;
            int kind = rnd.nextInt(10);
            long dst;
            int dstIndex;
            if (kind < 2) {
                dst = Frames.BROADCAST;
                dstIndex = -1;
            } else if (kind < 3) {
                dst = 0x02_ff_00_00_00_00L; // never speaks
                dstIndex = SITES * HOSTS_PER_SITE;
            } else {
                int ds = rnd.nextInt(SITES);
                int dh = rnd.nextInt(HOSTS_PER_SITE);
                dst = mac(ds, dh);
                dstIndex = ds * HOSTS_PER_SITE + dh;
            }
            byte[] frame = Frames.frame(dst, mac(site, host), 7, EtherType.IPV4, new byte[20 + rnd.nextInt(100)]);

            // Table 0 learns the source on its own LAN before table 20 looks the destination up.
            learnedAt[site][srcIndex] = now;
            // What the model expects: which sites' LANs get the frame.
            boolean[] expect = new boolean[SITES];
            int expectedOnWire;
            long known = dstIndex < 0 ? -1 : learnedAt[site][dstIndex];
            boolean live = known >= 0 && now < known + AGEING;
            if (live) {
                int dstSite = dstIndex / HOSTS_PER_SITE;
                if (dstSite != site) {
                    expect[dstSite] = true;
                }
                expectedOnWire = dstSite == site ? 0 : 1;
            } else {
                for (int s = 0; s < SITES; s++) {
                    expect[s] = s != site;
                }
                expectedOnWire = multicast ? 1 : SITES - 1;
            }

            underlay.clearCaptured();
            sites.get(site).send(frame);
            net.settle();
            String what = "seed " + seed + " step " + step + " " + transport + (multicast ? " multicast" : "");
            assertEquals(expectedOnWire, underlay.captured().size(), what + ": delivery packets");
            for (int s = 0; s < SITES; s++) {
                List<byte[]> got = sites.get(s).received();
                assertEquals(expect[s] ? 1 : 0, got.size(), what + ": frames at site " + s);
                if (expect[s]) {
                    assertArrayEquals(frame, got.get(0), what);
                    learnedAt[s][srcIndex] = now; // table 10 learned the sender there
                }
            }
        }
    }
}
