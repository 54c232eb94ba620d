package io.tunnelbox.web.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoggedNameTest {
    @Test
    void shouldNotLetANameForgeALogLine() {
        String logged = LoggedName.of("admin\n12:00:00 INFO WebService: admin logged in");
        assertFalse(logged.contains("\n"), logged);
        assertTrue(logged.startsWith("admin\\x0a12:00:00"), logged);
    }

    @Test
    void shouldCutEndlessNamesAndNameTheMissingOne() {
        assertEquals(LoggedName.MAX + 3, LoggedName.of("a".repeat(10_000)).length());
        assertEquals("(no name)", LoggedName.of(""));
        assertEquals("alice", LoggedName.of("alice"));
    }
}
