package io.tunnelbox.hal.led;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LedPatternTest {
    private static boolean at(LedPattern p, long millis) {
        return p.levelAt(millis * 1_000_000L);
    }

    @Test
    void shouldFlashBlinkCodeThreeThreeTimesThenPause() {
        LedPattern code = LedPattern.blinkCode(3);
        assertEquals(2750, code.cycleMillis());
        assertTrue(at(code, 0));
        assertFalse(at(code, 250));
        assertTrue(at(code, 500));
        assertTrue(at(code, 1000));
        assertFalse(at(code, 1250));
        assertFalse(at(code, 2749));
        assertTrue(at(code, 2750), "the cycle repeats");
    }

    @Test
    void shouldTellPatternsApartByTheirPhases() {
        assertEquals(LedPattern.blinkCode(2), LedPattern.blinkCode(2));
        assertFalse(LedPattern.blinkCode(2).equals(LedPattern.blinkCode(3)));
        assertFalse(LedPattern.ON.equals(LedPattern.OFF));
        assertTrue(at(LedPattern.ON, 123456));
        assertFalse(at(LedPattern.OFF, 0));
    }
}
