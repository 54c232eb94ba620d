package io.tunnelbox.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    @Test
    void shouldLetTheFirstFailuresThroughThenDoubleTheDelayUpToTheCap() {
        LoginThrottle t = new LoginThrottle(3, Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertEquals(Duration.ZERO, t.failed());
        assertEquals(Duration.ZERO, t.failed());
        assertEquals(Duration.ZERO, t.failed());
        assertEquals(Duration.ofSeconds(1), t.failed());
        assertEquals(Duration.ofSeconds(2), t.failed());
        assertEquals(Duration.ofSeconds(4), t.failed());
        assertEquals(Duration.ofSeconds(5), t.failed());
        assertEquals(Duration.ofSeconds(5), t.failed());
        assertEquals(8, t.failures());
    }

    @Test
    void shouldStartOverAfterASuccess() {
        LoginThrottle t = new LoginThrottle(1, Duration.ofSeconds(2), Duration.ofSeconds(60));
        t.failed();
        assertEquals(Duration.ofSeconds(2), t.failed());
        t.succeeded();
        assertEquals(Duration.ZERO, t.failed());
        assertEquals(Duration.ofSeconds(2), t.failed());
    }
}
