package io.tunnelbox.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WebConfigTest {
    @Test
    void shouldListenOnTheLanWithHttpsAndARedirectByDefault() {
        WebConfig w = ConfigParser.parse("{}").config().web();
        assertEquals(new WebConfig(443, true, "lan", 80, ""), w);
    }

    @Test
    void shouldTakeAnAddressOrAllAndRefuseAnythingElse() {
        assertEquals("198.18.0.2", ConfigParser.parse("{\"web\": {\"listen\": \"198.18.0.2\"}}").config().web().listen());
        assertEquals("all", ConfigParser.parse("{\"web\": {\"listen\": \"all\"}}").config().web().listen());
        ParseResult bad = ConfigParser.parse("{\"web\": {\"listen\": \"wan\", \"httpPort\": 443, \"metricsToken\": \"short\"}}");
        List<String> paths = bad.errors().stream().map(ConfigError::path).toList();
        assertEquals(List.of("web.listen", "web.httpPort", "web.metricsToken"), paths);
    }

    @Test
    void shouldHideTheMetricsTokenAndPasswordHashesWhenRedacted() {
        Config c = ConfigParser.parse("{\"web\": {\"metricsToken\": \"prometheus-scrape-token-1\"}}").config()
                .withSystem(new SystemConfig("b", List.of(new AdminAccount("admin", PasswordHash.hash("pw-pw-pw-pw".toCharArray(), 1000)))));
        String shown = ConfigJson.toText(ConfigRedaction.redact(c));
        assertFalse(shown.contains("pbkdf2") || shown.contains("prometheus-scrape-token-1"), shown);
        assertTrue(shown.replaceAll("\\s", "").contains("\"metricsToken\":\"<hidden>\""), shown);
        assertEquals(c.tunnels(), ConfigRedaction.redact(c).tunnels());
    }

    @Test
    void shouldRoundTripTheWebSectionThroughTheStoredFile() {
        Config c = ConfigParser.parse("{\"web\": {\"port\": 8443, \"listen\": \"all\", \"httpPort\": 0}}").config();
        assertEquals(c, ConfigParser.parse(ConfigJson.toText(c)).config());
    }
}
