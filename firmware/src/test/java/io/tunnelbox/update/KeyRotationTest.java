package io.tunnelbox.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRotationTest {
    @TempDir
    Path dir;

    @Test
    void shouldAddTheNewKeyThenRetireTheOldOneButNeverTheLast() throws Exception {
        KeyPair old = SigningKeys.generate();
        KeyPair fresh = SigningKeys.generate();
        Path trusted = Files.createDirectories(dir.resolve("trusted-keys"));
        SigningKeys.writePair(old, dir.resolve("old.key"), trusted.resolve("old.pub"), false);
        SigningKeys.writePair(fresh, dir.resolve("new.key"), dir.resolve("new.pub"), false);
        String oldId = SigningKeys.keyIdText(old.getPublic());
        String newId = SigningKeys.keyIdText(fresh.getPublic());

        Path release1 = dir.resolve("slot1");
        Files.createDirectories(release1.resolve(KeyRotation.ADD));
        Files.copy(dir.resolve("new.pub"), release1.resolve(KeyRotation.ADD).resolve(newId + ".pub"));
        assertEquals(List.of("trusted key " + newId + " added"), KeyRotation.apply(release1, trusted));
        assertEquals(2, TrustedKeys.fromDirectory(trusted).ids().size());

        Path release2 = dir.resolve("slot2");
        Files.createDirectories(release2.resolve(KeyRotation.RETIRE));
        Files.writeString(release2.resolve(KeyRotation.RETIRE).resolve(oldId), oldId);
        assertEquals(List.of("trusted key " + oldId + " retired"), KeyRotation.apply(release2, trusted));
        assertEquals(List.of(newId), TrustedKeys.fromDirectory(trusted).ids());

        Path release3 = dir.resolve("slot3");
        Files.createDirectories(release3.resolve(KeyRotation.RETIRE));
        Files.writeString(release3.resolve(KeyRotation.RETIRE).resolve(newId), newId);
        assertEquals(List.of("trusted key " + newId + " kept: it is the last one"), KeyRotation.apply(release3, trusted));
        assertTrue(TrustedKeys.fromDirectory(trusted).ids().contains(newId));
    }
}
