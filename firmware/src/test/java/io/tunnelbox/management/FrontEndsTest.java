package io.tunnelbox.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.config.ConfigApplier;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.ConfigStore;
import io.tunnelbox.console.InMemoryDeviceView;
import io.tunnelbox.console.LogRing;
import io.tunnelbox.hal.time.ManualClock;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Front ends are found at run time; a box without one (or with a broken one) runs on. */
class FrontEndsTest {
    static final List<String> EVENTS = new ArrayList<>();

    @TempDir
    Path dir;

    /** A front end as a jar on the class path would provide it. */
    public static final class Working implements ManagementFrontEnd {
        @Override
        public String name() {
            return "working";
        }

        @Override
        public Running start(ManagementContext context) {
            EVENTS.add("started with config version " + context.config().runningVersion());
            return new Running() {
                @Override
                public List<String> status() {
                    return List.of("web page: https://192.168.1.1/");
                }

                @Override
                public List<String> consoleNotice() {
                    return List.of("Web page setup code: ABCD-EFGH-JKLM");
                }

                @Override
                public void close() {
                    EVENTS.add("closed");
                }
            };
        }
    }

    /** One that cannot start (its port is taken, say). */
    public static final class Broken implements ManagementFrontEnd {
        @Override
        public String name() {
            return "broken";
        }

        @Override
        public Running start(ManagementContext context) throws IOException {
            throw new IOException("port 443 is in use");
        }
    }

    private ManagementContext context() throws IOException {
        ManualClock clock = new ManualClock();
        ConfigService config = new ConfigService(new ConfigStore(dir.resolve("config"), 5, clock), ConfigApplier.NONE, clock);
        return new ManagementContext(config, new InMemoryDeviceView(), new LogRing(10), dir, clock, Diagnostics.NONE);
    }

    /** Runs {@code body} with a class path whose services file lists {@code providers}. */
    private void withProviders(List<Class<?>> providers, ThrowingRunnable body) throws Exception {
        Path services = dir.resolve("cp/META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(ManagementFrontEnd.class.getName()),
                String.join("\n", providers.stream().map(Class::getName).toList()) + "\n");
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.resolve("cp").toUri().toURL()}, before)) {
            Thread.currentThread().setContextClassLoader(cl);
            body.run();
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void shouldRunWithoutAnyFrontEnd() throws Exception {
        AutoCloseable none = FrontEnds.startAll(context());
        assertEquals(List.of("no web page on this box (the web-ui jar is not installed)"), FrontEnds.status());
        assertTrue(FrontEnds.consoleNotice().isEmpty());
        none.close();
    }

    @Test
    void shouldStartTheFrontEndsFoundAndLeaveOutOneThatFails() throws Exception {
        EVENTS.clear();
        ManagementContext ctx = context();
        withProviders(List.of(Broken.class, Working.class), () -> {
            AutoCloseable started = FrontEnds.startAll(ctx);
            assertEquals(List.of("started with config version 1"), EVENTS);
            assertEquals(List.of("web page: https://192.168.1.1/"), FrontEnds.status());
            assertEquals(List.of("Web page setup code: ABCD-EFGH-JKLM"), FrontEnds.consoleNotice());
            started.close();
        });
        assertEquals(List.of("started with config version 1", "closed"), EVENTS);
        assertTrue(FrontEnds.status().getFirst().startsWith("no web page"), "closed front ends leave the status");
    }
}
