package io.tunnelbox.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReasonTest {
    @Test
    void shouldGiveEveryCodeADistinctKebabCaseName() {
        Set<String> names = new HashSet<>();
        for (int r = 0; r < Reason.COUNT; r++) {
            String name = Reason.name(r);
            assertTrue(name.matches("[a-z0-9]+(-[a-z0-9]+)*"), name);
            assertTrue(names.add(name), "duplicate " + name);
            assertTrue(!name.equals("unknown"), "code " + r + " has no name");
        }
    }

    @Test
    void shouldKeepCounterNamesStable() {
        assertEquals("ok", Reason.name(Reason.OK));
        assertEquals("truncated", Reason.name(Reason.TRUNCATED));
        assertEquals("bad-checksum", Reason.name(Reason.BAD_CHECKSUM));
        assertEquals("gre-version", Reason.name(Reason.GRE_VERSION));
        assertEquals("unknown", Reason.name(-1));
        assertEquals("unknown", Reason.name(Reason.COUNT));
    }
}
