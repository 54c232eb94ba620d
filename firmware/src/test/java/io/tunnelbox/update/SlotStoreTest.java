package io.tunnelbox.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlotStoreTest {
    @TempDir
    Path dir;

    @Test
    void shouldFlipSlotsOnEachInstall() throws IOException {
        KeyPair key = SigningKeys.generate();
        TrustedKeys keys = new TrustedKeys(List.of(key.getPublic()));
        SlotStore slots = new SlotStore(dir.resolve("opt/tunnelbox"));
        assertEquals("a", slots.install(TestBundles.make(dir, "1.0", key), keys, 0).slot());
        assertEquals(new BootState("a", "", 0, "installed 1.0 into slot a"), slots.state());
        assertEquals("b", slots.install(TestBundles.make(dir, "2.0", key), keys, 0).slot());
        assertEquals("b", slots.state().active());
        assertEquals("2.0", slots.installed("b").orElseThrow().version());
        assertEquals("1.0", slots.installed("a").orElseThrow().version());
        assertEquals("a", slots.install(TestBundles.make(dir, "3.0", key), keys, 0).slot());
        assertEquals("3.0", slots.installed("a").orElseThrow().version());
    }

    @Test
    void shouldLeaveEverythingAsItWasWhenTheBundleIsBad() throws IOException {
        KeyPair key = SigningKeys.generate();
        TrustedKeys keys = new TrustedKeys(List.of(key.getPublic()));
        SlotStore slots = new SlotStore(dir.resolve("opt/tunnelbox"));
        slots.install(TestBundles.make(dir, "1.0", key), keys, 0);
        BootState before = slots.state();
        Path bad = TestBundles.make(dir, "2.0", SigningKeys.generate());
        SlotStore.Installed r = slots.install(bad, keys, 0);
        assertFalse(r.ok());
        assertEquals(before, slots.state());
        assertFalse(Files.exists(slots.slot("b")));
        try (var s = Files.list(dir.resolve("opt/tunnelbox/slots"))) {
            assertEquals(List.of("a"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void shouldPutAnUpdateOnTrialWithoutMovingTheActiveSlot() throws IOException {
        KeyPair key = SigningKeys.generate();
        TrustedKeys keys = new TrustedKeys(List.of(key.getPublic()));
        SlotStore slots = new SlotStore(dir.resolve("opt/tunnelbox"));
        slots.install(TestBundles.make(dir, "1.0", key), keys, 0);
        slots.install(TestBundles.make(dir, "2.0", key), keys, 3);
        BootState s = slots.state();
        assertEquals("a", s.active());
        assertEquals("b", s.trial());
        assertEquals(3, s.tries());
        assertEquals("b", s.booted());
    }

    @Test
    void shouldReadWhatTheLauncherWrites() throws IOException {
        String launcher = "# comment\nactive=b\ntrial=a\ntries=2\nresult=trying 2.0 into slot a\n";
        assertEquals(new BootState("b", "a", 2, "trying 2.0 into slot a"), BootState.parse(launcher));
        assertTrue(BootState.parse(new BootState("a", "", 0, "x\ny=z").text()).result().equals("x y z"));
    }
}
