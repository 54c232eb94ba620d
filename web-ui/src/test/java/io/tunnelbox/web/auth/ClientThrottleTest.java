package io.tunnelbox.web.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.time.ManualClock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Password checks per client: one at a time, each outcome counted before the next may start. */
class ClientThrottleTest {
    static final String EVE = "192.0.2.66", ALICE = "192.0.2.10";

    final ManualClock clock = new ManualClock();
    final ClientThrottle throttle = new ClientThrottle(clock);

    @Test
    void shouldRefuseASecondCheckFromTheSameClientWhileOneRuns() throws Exception {
        // Checks side by side would all pass the wait before any failure is counted: hundreds of
        // guesses per wait, and as many PBKDF2 runs at once on a small board.
        CountDownLatch inside = new CountDownLatch(1), release = new CountDownLatch(1);
        CompletableFuture<Optional<Boolean>> first = CompletableFuture.supplyAsync(() -> throttle.attempt(EVE, () -> {
            inside.countDown();
            try {
                return release.await(10, TimeUnit.SECONDS) && false;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        boolean[] ran = new boolean[1];
        assertEquals(Optional.empty(), throttle.attempt(EVE, () -> ran[0] = true), "refused while the first runs");
        assertFalse(ran[0], "the second check did not run");
        assertEquals(Optional.of(true), throttle.attempt(ALICE, () -> true), "another client is not held up");
        release.countDown();
        assertEquals(Optional.of(false), first.get(10, TimeUnit.SECONDS));
    }

    @Test
    void shouldCountEachOutcomeAndRefuseDuringTheWait() {
        for (int i = 0; i < 4; i++) {
            assertEquals(Optional.of(false), throttle.attempt(EVE, () -> false));
        }
        assertFalse(throttle.wait(EVE).isZero(), "the fourth failure starts the wait");
        boolean[] ran = new boolean[1];
        assertEquals(Optional.empty(), throttle.attempt(EVE, () -> ran[0] = true), "no check during the wait");
        assertFalse(ran[0]);
        clock.advance(Duration.ofMinutes(2));
        assertEquals(Optional.of(true), throttle.attempt(EVE, () -> true));
        assertTrue(throttle.wait(EVE).isZero());
        assertEquals(Optional.of(false), throttle.attempt(EVE, () -> false), "a success forgets the failures");
        assertTrue(throttle.wait(EVE).isZero());
    }
}
