package io.tunnelbox.web;

import io.tunnelbox.management.Updates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * The box's update agent as the web UI sees it, for tests: records every bundle handed to it (its
 * SHA-256, where it lay, its mode) and answers what the test says; {@link #hold} makes an install
 * wait until released, so a test can send a second upload meanwhile.
 */
final class RecordingUpdates implements Updates {
    record Install(Path file, String sha256, String mode) {
    }

    final List<Install> installs = new CopyOnWriteArrayList<>();
    volatile Result answer = new Result(Outcome.ACCEPTED, List.of("firmware 2.0 installed into slot b; restarting into it"));
    volatile Optional<String> busy = Optional.empty();
    volatile CountDownLatch hold;
    final CountDownLatch inside = new CountDownLatch(1);
    volatile String status = "{\"state\":\"running\",\"version\":\"1.0\",\"slot\":\"a\",\"activeSlot\":\"a\",\"lastResult\":\"\"}";

    @Override
    public Optional<String> busy() {
        return busy;
    }

    @Override
    public Result install(Path bundle) {
        try {
            byte[] b = Files.readAllBytes(bundle);
            installs.add(new Install(bundle, sha256(b), PosixFilePermissions.toString(Files.getPosixFilePermissions(bundle))));
            inside.countDown();
            CountDownLatch h = hold;
            if (h != null) {
                h.await();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return answer;
    }

    @Override
    public String statusJson() {
        return status;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
