package io.tunnelbox.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The runner sleeps on its idle wait when there is no work, and wakes for packets and wake-ups. */
class DatapathRunnerIdleTest {

    /**
     * A wait that blocks like poll(2): until a "packet" is signalled, wakeup() or the timeout; or,
     * when {@code endless}, only until wakeup(), so a test knows what woke the runner.
     */
    static final class SignalWait implements IdleWait {
        final Semaphore ready = new Semaphore(0);
        final AtomicInteger waits = new AtomicInteger();
        final AtomicBoolean closed = new AtomicBoolean();
        final boolean endless;

        SignalWait() {
            this(false);
        }

        SignalWait(boolean endless) {
            this.endless = endless;
        }

        @Override
        public void await(long timeoutNanos) throws InterruptedException {
            waits.incrementAndGet();
            if (endless) {
                ready.acquire();
                ready.drainPermits();
            } else if (ready.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) {
                ready.drainPermits();
            }
        }

        @Override
        public void wakeup() {
            ready.release();
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    /** A datapath with a one-packet inbox; it records when it took the packet. */
    static final class Inbox implements Datapath {
        final AtomicBoolean packet = new AtomicBoolean();
        final AtomicInteger polls = new AtomicInteger();
        final AtomicInteger ticks = new AtomicInteger();
        volatile CountDownLatch taken = new CountDownLatch(1);

        @Override
        public String name() {
            return "inbox";
        }

        @Override
        public int poll() {
            polls.incrementAndGet();
            if (packet.getAndSet(false)) {
                taken.countDown();
                return 1;
            }
            return 0;
        }

        @Override
        public void tick() {
            ticks.incrementAndGet();
        }
    }

    @Test
    void shouldSleepOnItsWaitInsteadOfPollingWhenIdle() throws InterruptedException {
        Inbox inbox = new Inbox();
        SignalWait wait = new SignalWait();
        try (DatapathRunner runner = new DatapathRunner(inbox, Clock.SYSTEM, wait).start()) {
            // Counted per timer tick, not per second of a machine that may be busy: each tick is
            // a wake-up plus a handful of polls; the old spin-and-park loop polled thousands of
            // times between two ticks.
            awaitCondition(() -> inbox.ticks.get() >= 10, "ten timer ticks while idle");
            int ticks = inbox.ticks.get();
            assertTrue(inbox.polls.get() < 25 * (ticks + 1), "polls over " + ticks + " idle ticks: " + inbox.polls.get());
            assertTrue(wait.waits.get() >= ticks / 2 && wait.waits.get() < 3 * (ticks + 1),
                    "sleeps over " + ticks + " idle ticks: " + wait.waits.get());
            assertTrue(runner.sleeps() >= 3);
        }
        assertTrue(wait.closed.get(), "the runner closes its wait when it stops");
    }

    @Test
    void shouldTakeAPacketAsSoonAsTheWaitReturns() throws InterruptedException {
        Inbox inbox = new Inbox();
        // A wait without a timeout: only wakeup() can end the runner's sleep, so a packet taken
        // proves the wake-up path, not the timer (the 1 ms figure is measured on real ports).
        SignalWait wait = new SignalWait(true);
        try (DatapathRunner runner = new DatapathRunner(inbox, Clock.SYSTEM, wait).start()) {
            for (int k = 0; k < 5; k++) {
                int asleep = k + 1; // only a wake-up ends an endless wait: one sleep per packet
                awaitCondition(() -> wait.waits.get() >= asleep, "the runner asleep");
                inbox.taken = new CountDownLatch(1);
                inbox.packet.set(true);
                wait.wakeup(); // what poll(2) does when a descriptor becomes readable
                assertTrue(inbox.taken.await(30, TimeUnit.SECONDS), "packet " + k + " taken after a wake-up");
            }
            assertTrue(runner.sleeps() >= 5, "slept between packets: " + runner.sleeps());
        }
    }

    @Test
    void shouldNotSpinWhenTheWaitReturnsAtOnce() throws InterruptedException {
        Inbox inbox = new Inbox();
        IdleWait broken = new IdleWait() { // a poll over a closed port: always readable, no packets
            @Override
            public void await(long timeoutNanos) {
            }

            @Override
            public void wakeup() {
            }

            @Override
            public void close() {
            }
        };
        try (DatapathRunner runner = new DatapathRunner(inbox, Clock.SYSTEM, broken).start()) {
            awaitCondition(() -> inbox.ticks.get() >= 5, "five timer ticks");
            assertTrue(runner.isAlive());
            // About two polls per 200 us park, so some 1000 per 100 ms tick; a spinning loop
            // makes hundreds of thousands.
            int ticks = inbox.ticks.get();
            assertTrue(inbox.polls.get() < 4_000 * (ticks + 1), "polls over " + ticks + " ticks: " + inbox.polls.get());
        }
    }

    @Test
    void shouldStopPromptlyWhileAsleep() {
        Inbox inbox = new Inbox();
        SignalWait wait = new SignalWait();
        DatapathRunner runner = new DatapathRunner(inbox, Clock.SYSTEM, wait).start();
        runner.close();
        assertFalse(runner.isAlive(), "stopped within close()'s own wait, although asleep");
    }

    /** Waits for a condition (never for a fixed time); 60 s is only a guard against a hang. */
    private static void awaitCondition(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "waited 60 s for: " + what);
            Thread.sleep(5);
        }
    }
}
