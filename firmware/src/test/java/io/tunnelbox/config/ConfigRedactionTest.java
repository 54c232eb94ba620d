package io.tunnelbox.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigRedactionTest {

    @Test
    void shouldReplaceEveryPasswordHashAndKeepAllElse() {
        String hash = PasswordHash.hash("correct horse battery".toCharArray(), 1000);
        Config c = Config.defaults().withSystem(new SystemConfig("branch-a",
                List.of(new AdminAccount("admin", hash), new AdminAccount("ops", hash))));

        Config r = ConfigRedaction.redact(c);

        assertEquals(List.of("admin", "ops"), r.system().admins().stream().map(AdminAccount::name).toList());
        assertEquals(List.of(ConfigRedaction.HIDDEN, ConfigRedaction.HIDDEN),
                r.system().admins().stream().map(AdminAccount::passwordHash).toList());
        assertEquals("branch-a", r.system().hostname());
        assertEquals(c, r.withSystem(c.system()));
        assertFalse(ConfigJson.toText(r).contains(hash));
    }
}
