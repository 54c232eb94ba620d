package io.tunnelbox.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    private static final List<String> SHOW = List.of("version", "interfaces", "tunnels", "segments", "mac", "flows",
            "routes", "counters", "log", "config");

    @Test
    void shouldFindTyposSwapsAndMissingLetters() {
        assertEquals(Optional.of("tunnels"), Suggestions.closest("tunels", SHOW));
        assertEquals(Optional.of("routes"), Suggestions.closest("ruotes", SHOW));
        assertEquals(Optional.of("flows"), Suggestions.closest("flow", SHOW));
        assertEquals(Optional.of("config"), Suggestions.closest("CONFG", SHOW));
    }

    @Test
    void shouldNotSuggestSomethingUnrelated() {
        assertEquals(Optional.empty(), Suggestions.closest("bgp", SHOW));
        assertEquals(Optional.empty(), Suggestions.closest("interfaze-stats", SHOW));
    }

    @Test
    void shouldCountASwapAsOneEdit() {
        assertEquals(1, Suggestions.distance("shwo", "show"));
        assertEquals(1, Suggestions.distance("sohw", "show"));
        assertEquals(2, Suggestions.distance("abc", "cba"));
        assertEquals(3, Suggestions.distance("", "mac"));
    }
}
