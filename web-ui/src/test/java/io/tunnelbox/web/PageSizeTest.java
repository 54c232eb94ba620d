package io.tunnelbox.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.web.http.StaticFiles;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

/** The page stays small enough for a Pi and self-contained (nothing fetched from elsewhere). */
class PageSizeTest {
    @Test
    void shouldStayUnder150KilobytesAndLoadNothingFromElsewhere() throws Exception {
        long total = 0;
        for (String name : new HashSet<>(StaticFiles.FILES.values())) {
            try (InputStream in = StaticFiles.class.getResourceAsStream("/io/tunnelbox/web/static/" + name)) {
                assertNotNull(in, name);
                byte[] b = in.readAllBytes();
                total += b.length;
                String text = new String(b, StandardCharsets.UTF_8);
                assertFalse(text.matches("(?s).*(src|href)=\"(https?:)?//.*"), name + " loads something from elsewhere");
                assertFalse(text.contains("<script>") || text.contains(" style=\""), name + " has inline script or style");
            }
        }
        assertTrue(total < 150 * 1024, "the page is " + total + " bytes");
    }
}
