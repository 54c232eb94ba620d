package io.tunnelbox.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DatapathRunnerTest {

    @Test
    void shouldKeepPollingAfterAFailingPollAndStopOnClose() throws InterruptedException {
        AtomicInteger polls = new AtomicInteger();
        CountDownLatch pastFailure = new CountDownLatch(1);
        Datapath flaky = new Datapath() {
            @Override
            public String name() {
                return "flaky";
            }

            @Override
            public int poll() {
                int n = polls.incrementAndGet();
                if (n == 3) {
                    throw new IllegalStateException("bug in poll 3");
                }
                if (n > 10) {
                    pastFailure.countDown();
                }
                return 0;
            }

            @Override
            public void tick() {
            }
        };
        DatapathRunner runner = new DatapathRunner(flaky, Clock.SYSTEM).start();
        assertTrue(pastFailure.await(10, TimeUnit.SECONDS), "runner stopped after a failing poll");
        long progress = runner.progress();
        assertTrue(progress >= 10, "loops counted: " + progress);
        runner.close();
        assertFalse(runner.isAlive());
    }
}
