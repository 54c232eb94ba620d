package io.tunnelbox.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.tunnelbox.config.Config;
import io.tunnelbox.config.ConfigParser;
import io.tunnelbox.config.ParseResult;
import io.tunnelbox.hal.offload.Offloads;

/** The ports ask for the configuration's offloads unless the command line or environment named others. */
class OffloadsChoiceTest {
    private static Config withOffloads(String json) {
        ParseResult r = ConfigParser.parse("{\"interfaces\": {\"offloads\": " + json + "}}");
        return r.config();
    }

    @Test
    void shouldUseEveryOffloadByDefault() {
        assertEquals(Offloads.ALL, new LinuxDataplane("lo", "lo", null).offloads(Config.defaults()));
    }

    @Test
    void shouldFollowTheConfiguration() {
        Config c = withOffloads("{\"tso\": false, \"uro\": false}");
        assertEquals(new Offloads(false, true, true, false), new LinuxDataplane("lo", "lo", null).offloads(c));
    }

    @Test
    void shouldLetTheCommandLineOverrideTheConfiguration() {
        Config c = withOffloads("{\"tso\": false, \"gro\": false, \"uso\": false, \"uro\": false}");
        assertEquals(Offloads.ALL, new LinuxDataplane("lo", "lo", Offloads.parse("all")).offloads(c));
        assertEquals(Offloads.NONE, new LinuxDataplane("lo", "lo", Offloads.NONE).offloads(Config.defaults()));
    }
}
