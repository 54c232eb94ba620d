package io.tunnelbox.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.tunnelbox.hal.testing.Requirements;

class NetNamespaceTest {

    @Test
    void shouldRunBlocksInTheNamedNamespaceOnly() {
        Requirements.root();
        Requirements.tool("ip");
        try (Namespaces namespaces = new Namespaces()) {
            String a = namespaces.add("nsa");
            String b = namespaces.add("nsb");
            Namespaces.veth(a, "tbl-va", "10.66.0.1", b, "tbl-vb", "10.66.0.2");
            NetNamespace inA = namespaces.enter(a);
            NetNamespace inB = namespaces.enter(b);
            assertTrue(inA.call(() -> Libc.ifNameToIndex("tbl-va")) > 0);
            assertEquals(0, inA.call(() -> Libc.ifNameToIndex("tbl-vb")));
            assertTrue(inB.call(() -> Libc.ifNameToIndex("tbl-vb")) > 0);
            assertEquals(0, Libc.ifNameToIndex("tbl-va"), "the calling thread stays in its own namespace");

            try (LinkControl linkInB = inB.call(LinkControl::new)) {
                assertTrue(linkInB.isUp("tbl-vb"), "a control socket made in B keeps working from this thread");
            }
        }
    }

    @Test
    void shouldPassTheBlocksExceptionThrough() {
        Requirements.root();
        try (NetNamespace here = NetNamespace.current()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> here.run(() -> {
                        throw new IllegalArgumentException("boom");
                    }));
            assertEquals("boom", e.getMessage());
        }
    }

    @Test
    void shouldNameAMissingNamespace() {
        LinuxIoException e = assertThrows(LinuxIoException.class, () -> NetNamespace.named("tbl-does-not-exist"));
        assertEquals("open /run/netns/tbl-does-not-exist: ENOENT", e.getMessage());
    }
}
