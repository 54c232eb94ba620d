package io.tunnelbox.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.Version;
import org.junit.jupiter.api.Test;

/**
 * A box must not ship a Jackson flagged by a published advisory: jackson-core before 2.21.1 (and
 * 2.18.6 on the old line) lets the async parser exceed its number-length limit.
 */
class JacksonVersionTest {
    static final Version FIRST_FIXED = new Version(2, 21, 1, null, "com.fasterxml.jackson.core", "jackson-core");

    @Test
    void shouldRunAJacksonCoreWithTheAsyncParserAdvisoryFixed() {
        Version core = com.fasterxml.jackson.core.json.PackageVersion.VERSION;
        assertTrue(core.compareTo(FIRST_FIXED) >= 0, "jackson-core " + core + " is older than " + FIRST_FIXED);
        Version databind = com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION;
        assertTrue(databind.getMinorVersion() == core.getMinorVersion(), "databind " + databind + " matches core " + core);
    }
}
