package io.tunnelbox.route;

import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/** Bytes the current thread allocates while running a piece of code (HotSpot's per-thread counter). */
final class Allocation {
    private Allocation() {
    }

    static long measure(LongSupplier work) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long before = mx.getThreadAllocatedBytes(id);
        long result = work.getAsLong();
        long after = mx.getThreadAllocatedBytes(id);
        if (result == Long.MIN_VALUE) {
            throw new AssertionError("keeps the work alive");
        }
        return after - before;
    }
}
