package io.tunnelbox.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.tunnelbox.hal.testing.Requirements;

class IpTest {

    @Test
    void shouldReportTheCommandAndStderrOnFailure() {
        Requirements.tool("ip");
        Ip.CommandException e = assertThrows(Ip.CommandException.class,
                () -> Ip.host().run("link", "show", "dev", "tbl-no-such-dev"));
        assertTrue(e.getMessage().startsWith("ip link show dev tbl-no-such-dev: exit 1: "), e.getMessage());
        assertTrue(e.getMessage().contains("tbl-no-such-dev"), e.getMessage());
    }

    @Test
    void shouldPassArgumentsWithoutAShell() {
        Requirements.root();
        Requirements.tool("ip");
        try (Namespaces namespaces = new Namespaces()) {
            String ns = namespaces.add("ip");
            // A shell would run the second command; as one argument it is just a bad name.
            Ip.Result r = Ip.in(ns).exec("echo", "a;b", "$(id)");
            assertEquals("a;b $(id)\n", r.stdout());
            assertTrue(Ip.in(ns).run("link", "show", "lo").contains("LOOPBACK"));
        }
    }
}
