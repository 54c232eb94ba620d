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

    /** A wait that blocks like poll(2): until a "packet" is signalled, wakeup() or the timeout. */
    static final class SignalWait implements IdleWait {
        final Semaphore ready = new Semaphore(0);
        final AtomicInteger waits = new AtomicInteger();
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public void await(long timeoutNanos) throws InterruptedException {
            waits.incrementAndGet();
            if (ready.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) {
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
            Thread.sleep(1_000);
            // Ten ticks a second, each a wake-up plus a handful of polls; the old spin-and-park
            // loop polled thousands of times a second.
            assertTrue(inbox.polls.get() < 250, "polls in one idle second: " + inbox.polls.get());
            assertTrue(wait.waits.get() >= 3 && wait.waits.get() < 30, "sleeps in one idle second: " + wait.waits.get());
            assertTrue(inbox.ticks.get() >= 3, "timers still run while idle: " + inbox.ticks.get());
            assertTrue(runner.sleeps() >= 3);
        }
        assertTrue(wait.closed.get(), "the runner closes its wait when it stops");
    }

    @Test
    void shouldTakeAPacketAsSoonAsTheWaitReturns() throws InterruptedException {
        Inbox inbox = new Inbox();
        SignalWait wait = new SignalWait();
        try (DatapathRunner runner = new DatapathRunner(inbox, Clock.SYSTEM, wait).start()) {
            Thread.sleep(300);
            long worst = 0;
            for (int k = 0; k < 5; k++) {
                inbox.taken = new CountDownLatch(1);
                long sent = System.nanoTime();
                inbox.packet.set(true);
                wait.wakeup(); // what poll(2) does when a descriptor becomes readable
                assertTrue(inbox.taken.await(5, TimeUnit.SECONDS), "packet " + k + " taken");
                worst = Math.max(worst, System.nanoTime() - sent);
                Thread.sleep(150);
            }
            assertTrue(runner.sleeps() >= 5, "slept between packets: " + runner.sleeps());
            // Far below the 100 ms tick: the packet did not wait for the timer. (The 1 ms figure
            // is measured on real ports by PortPollerWaitTest; this machine is shared and busy.)
            assertTrue(worst < 50_000_000L, "worst latency after idle " + worst / 1000 + " us");
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
            Thread.sleep(500);
            assertTrue(runner.isAlive());
        }
        // Two polls per 200 us park (about 5000 in half a second), not hundreds of thousands.
        assertTrue(inbox.polls.get() < 20_000, "polls: " + inbox.polls.get());
    }

    @Test
    void shouldStopPromptlyWhileAsleep() {
        Inbox inbox = new Inbox();
        SignalWait wait = new SignalWait();
        DatapathRunner runner = new DatapathRunner(inbox, Clock.SYSTEM, wait).start();
        long t0 = System.nanoTime();
        runner.close();
        assertFalse(runner.isAlive());
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L);
    }
}
