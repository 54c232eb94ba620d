package io.tunnelbox.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.hal.status.StatusEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The box's update agent without a process: what it installs, what it shows on the LEDs, when it restarts. */
class UpdateAgentTest {
    @TempDir
    Path dir;
    KeyPair key;
    SlotStore slots;
    Path state;
    Path trusted;
    final List<StatusEvent> leds = new CopyOnWriteArrayList<>();
    final AtomicInteger restarts = new AtomicInteger();

    @BeforeEach
    void box() throws Exception {
        key = SigningKeys.generate();
        trusted = Files.createDirectories(dir.resolve("trusted-keys"));
        Files.writeString(trusted.resolve("release.pub"), SigningKeys.publicPem(key.getPublic()));
        slots = new SlotStore(dir.resolve("opt/tunnelbox"));
        slots.install(TestBundles.make(dir, "1.0", key), new TrustedKeys(List.of(key.getPublic())), 0);
        state = Files.createDirectories(dir.resolve("state"));
        Files.createDirectories(state.resolve("config"));
        Files.writeString(state.resolve("config/config.json"), "{\"version\": 1}");
    }

    private UpdateAgent agent(String slot, boolean trial) {
        return new UpdateAgent(slots, slot, trial, state, trusted, leds::add, restarts::incrementAndGet);
    }

    @Test
    void shouldInstallOnTrialShowTheUpdateAndRestart() throws Exception {
        UpdateAgent.Result r = agent("a", false).update(TestBundles.make(dir, "2.0", key), List.of("to-b"), List.of("web"));
        assertTrue(r.accepted(), r.text());
        assertEquals(new BootState("a", "b", UpdateAgent.TRIAL_STARTS, "trying 2.0 into slot b"), slots.state());
        assertEquals(1, restarts.get());
        assertEquals(List.of(new StatusEvent.UpdateInProgress(true)), leds, "the LED keeps showing the update until the restart");
        assertEquals("{\"version\": 1}", Files.readString(state.resolve(UpdateAgent.PRE_UPDATE).resolve("config.json")));
        assertEquals(List.of("to-b"), agent("b", true).tunnelsUpBefore());
        assertEquals(List.of("web"), agent("b", true).checksFailingBefore(), "the new firmware is not held to what failed before");
    }

    @Test
    void shouldRefuseABadBundleChangingNothingAndClearTheLed() throws Exception {
        UpdateAgent.Result r = agent("a", false).update(TestBundles.make(dir, "2.0", SigningKeys.generate()), List.of());
        assertFalse(r.accepted());
        assertTrue(r.text().startsWith("error: update refused: signed by key "), r.text());
        assertEquals("a", slots.state().active());
        assertFalse(slots.state().onTrial());
        assertEquals(0, restarts.get());
        assertEquals(List.of(new StatusEvent.UpdateInProgress(true), new StatusEvent.UpdateInProgress(false)), leds);
        assertFalse(Files.exists(state.resolve(UpdateAgent.PRE_UPDATE)));
    }

    @Test
    void shouldKeepAHealthyTrialAndKeepTheOldConfigurationBeside() throws Exception {
        agent("a", false).update(TestBundles.make(dir, "2.0", key), List.of());
        UpdateAgent trial = agent("b", true);
        Thread t = trial.watchTrial(List.of(probe(Optional.empty())), Duration.ofSeconds(10), Duration.ZERO, Duration.ofMillis(10));
        t.join(10_000);
        assertEquals("b", slots.state().active());
        assertFalse(slots.state().onTrial());
        assertTrue(slots.state().result().startsWith("updated to 2.0 in slot b"), slots.state().result());
        assertTrue(Files.isDirectory(state.resolve("config.before-2.0")));
        assertEquals(1, restarts.get(), "only the update's own restart");
        assertEquals(new StatusEvent.UpdateInProgress(false), leds.get(leds.size() - 1));
        assertFalse(trial.onTrial());
    }

    @Test
    void shouldNotHoldAgainstTheNewFirmwareACheckTheOldOneFailedToo() throws Exception {
        // The old firmware's page could not listen where configured: the new one is not rolled back for it.
        agent("a", false).update(TestBundles.make(dir, "2.0", key), List.of(), List.of("test"));
        Thread t = agent("b", true).watchTrial(List.of(probe(Optional.of("web page on loopback only"))), Duration.ofSeconds(10),
                Duration.ZERO, Duration.ofMillis(10));
        t.join(10_000);
        assertEquals("b", slots.state().active());
        assertFalse(slots.state().onTrial());
        assertEquals(1, restarts.get(), "no rollback");
    }

    @Test
    void shouldRollBackAnUnhealthyTrialAndRestoreTheConfigurationOnTheNextStart() throws Exception {
        agent("a", false).update(TestBundles.make(dir, "2.0", key), List.of());
        Files.writeString(state.resolve("config/config.json"), "{\"version\": 2, \"migrated\": true}");
        Thread t = agent("b", true).watchTrial(List.of(probe(Optional.of("web page not answering"))), Duration.ofMillis(300),
                Duration.ZERO, Duration.ofMillis(10));
        t.join(10_000);
        assertEquals(new BootState("a", "", 0, "rolled back from slot b: not healthy in time: test: web page not answering"), slots.state());
        assertEquals(2, restarts.get(), "the update's restart and the rollback's");
        Optional<String> back = agent("a", false).beforeStart();
        assertTrue(back.isPresent() && back.get().contains("rolled back from slot b"), back.toString());
        assertEquals("{\"version\": 1}", Files.readString(state.resolve("config/config.json")), "the configuration from before the update is back");
        try (var s = Files.list(state)) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("config.rolled-back-")), "the trial's configuration is kept");
        }
    }

    @Test
    void shouldRefuseASecondUpdateWhileOnTrialAndOnABoxWithoutSlots() throws Exception {
        UpdateAgent onTrial = agent("b", true);
        assertTrue(onTrial.busy().orElseThrow().contains("still on trial"));
        UpdateAgent.Result r = onTrial.update(TestBundles.make(dir, "3.0", key), List.of());
        assertTrue(r.busy() && !r.accepted() && r.text().contains("still on trial"), r.toString());
        UpdateAgent packaged = new UpdateAgent(null, "", false, state, trusted, leds::add, restarts::incrementAndGet);
        UpdateAgent.Result p = packaged.update(TestBundles.make(dir, "3.0", key), List.of());
        assertTrue(!p.busy() && p.text().contains("update it with apt"), p.toString());
        assertEquals(0, restarts.get());
    }

    @Test
    void shouldBeBusyFromAnAcceptedUpdateUntilTheRestart() throws Exception {
        UpdateAgent agent = agent("a", false);
        assertTrue(agent.busy().isEmpty(), "idle before");
        assertTrue(agent.update(TestBundles.make(dir, "2.0", key), List.of()).accepted());
        assertTrue(agent.busy().orElseThrow().contains("restarting (into firmware 2.0 in slot b)"), agent.busy().toString());
        UpdateAgent.Result second = agent.update(TestBundles.make(dir, "3.0", key), List.of());
        assertTrue(second.busy() && !second.accepted(), second.toString());
        assertEquals(1, restarts.get(), "one restart, for the first update only");
        assertEquals("2.0", slots.installed("b").orElseThrow().version(), "the second bundle was not installed");
    }

    @Test
    void shouldSayBusyWhileAnotherUpdateIsBeingInstalled() throws Exception {
        Path bundle = TestBundles.make(dir, "2.0", key);
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        // The first update stops inside the installation (in its LED event) until the second has been refused.
        UpdateAgent agent = new UpdateAgent(slots, "a", false, state, trusted, e -> {
            if (e instanceof StatusEvent.UpdateInProgress u && u.active() && inside.getCount() > 0) {
                inside.countDown();
                try {
                    release.await();
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
            }
        }, restarts::incrementAndGet);
        Thread first = Thread.ofPlatform().start(() -> agent.update(bundle, List.of()));
        assertTrue(inside.await(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(Optional.of("another update is being installed"), agent.busy());
        UpdateAgent.Result second = agent.update(bundle, List.of());
        assertTrue(second.busy() && second.text().contains("another update is being installed"), second.toString());
        release.countDown();
        first.join(10_000);
        assertEquals(1, restarts.get());
    }

    private static HealthProbe probe(Optional<String> problem) {
        return new HealthProbe() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public Optional<String> problem() {
                return problem;
            }
        };
    }
}
