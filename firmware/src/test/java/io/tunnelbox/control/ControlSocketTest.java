package io.tunnelbox.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlSocketTest {

    @Test
    void shouldAnswerEachCommandAndKeepTheSocketPrivate(@TempDir Path dir) throws IOException {
        try (ControlServer server = ControlServer.start(dir, cmd -> switch (cmd) {
            case "show version" -> "TunnelBox test";
            case "boom" -> throw new IllegalStateException("handler bug");
            default -> "unknown command: " + cmd;
        })) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(server.path())));
            assertEquals("TunnelBox test\n", ControlClient.ask(dir, "show version"));
            assertEquals("unknown command: show nothing\n", ControlClient.ask(dir, "show nothing"));
            assertEquals("error: handler bug\n", ControlClient.ask(dir, "boom"));
            assertTrue(ControlClient.ask(dir, "x".repeat(ControlServer.MAX_COMMAND + 10))
                    .startsWith("error: command longer than"));
            assertEquals("TunnelBox test\n", ControlClient.ask(dir, "show version"), "server survives bad input");
        }
        assertTrue(Files.notExists(dir.resolve(ControlServer.SOCKET_NAME)));
        IOException e = assertThrows(IOException.class, () -> ControlClient.ask(dir, "show version"));
        assertTrue(e.getMessage().contains("is it running?"), e.getMessage());
    }

    @Test
    void shouldAnswerOthersWhileAClientSitsIdle(@TempDir Path dir) throws Exception {
        try (ControlServer server = ControlServer.start(dir, dir.resolve("run"), java.time.Duration.ofSeconds(2),
                cmd -> "ok " + cmd);
             java.nio.channels.SocketChannel idle = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            idle.connect(java.net.UnixDomainSocketAddress.of(server.path()));
            long start = System.nanoTime();
            java.util.concurrent.Future<String> answer = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()
                    .submit(() -> ControlClient.ask(dir, "show version"));
            assertEquals("ok show version\n", answer.get(1, java.util.concurrent.TimeUnit.SECONDS),
                    "answered while another client says nothing");
            assertTrue(System.nanoTime() - start < 1_000_000_000L);
            // The idle client is cut off after the timeout: its read ends.
            idle.configureBlocking(true);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
            long cutStart = System.nanoTime();
            assertEquals(-1, idle.read(b), "the server closed the idle connection");
            long waited = (System.nanoTime() - cutStart) / 1_000_000;
            assertTrue(waited < 4_000, "cut off after about 2 s, took " + waited + " ms");
        }
    }

    @Test
    void shouldServeManyClientsAtOnce(@TempDir Path dir) throws Exception {
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(4);
        try (ControlServer server = ControlServer.start(dir, dir.resolve("run"), java.time.Duration.ofSeconds(5), cmd -> {
            inside.countDown();
            try {
                // every handler waits until four run at the same time: one at a time would never get there
                return inside.await(3, java.util.concurrent.TimeUnit.SECONDS) ? "together" : "alone";
            } catch (InterruptedException e) {
                return "interrupted";
            }
        }); var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var answers = new java.util.ArrayList<java.util.concurrent.Future<String>>();
            for (int i = 0; i < 4; i++) {
                answers.add(pool.submit(() -> ControlClient.ask(dir, "show x")));
            }
            for (var a : answers) {
                assertEquals("together\n", a.get(5, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertTrue(Files.exists(server.path()));
        }
    }

    @Test
    void shouldMoveToTheRunDirectoryWhenTheStateDirectoryIsNotWritable(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        Path stateDir = file.resolve("state"); // cannot be created: as good as a read-only card, even for root
        Path runDir = dir.resolve("run");
        try (ControlServer server = ControlServer.start(stateDir, runDir, java.time.Duration.ofSeconds(5), cmd -> "here")) {
            assertTrue(server.path().startsWith(runDir), server.path().toString());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(server.path())));
            assertEquals("here\n", ControlClient.ask(stateDir, runDir, "show version"));
        }
    }

    @Test
    void shouldMakeAPrivateSocketWhateverTheUmask(@TempDir Path dir) throws Exception {
        String javaCommand = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder("sh", "-c", "umask 000; exec \"$0\" -cp \"$1\" " + UmaskChild.class.getName() + " \"$2\"",
                javaCommand, System.getProperty("java.class.path"), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()))) {
            assertEquals("ready", out.readLine());
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve(ControlServer.SOCKET_NAME))));
            try (var files = Files.list(dir)) {
                assertEquals(java.util.List.of(ControlServer.SOCKET_NAME),
                        files.map(p -> p.getFileName().toString()).toList(), "no private directory left behind");
            }
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
    }
}
