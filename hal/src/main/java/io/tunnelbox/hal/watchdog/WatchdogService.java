package io.tunnelbox.hal.watchdog;

import io.tunnelbox.hal.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.tinylog.Logger;

/**
 * Kicks the hardware watchdog and systemd's (WATCHDOG=1) only while every registered engine
 * thread makes progress. A hung engine thread therefore stops the kicks and the box reboots
 * when the hardware timer runs out (systemd restarts the service first if it has WatchdogSec).
 * A clean {@link #stop()} disarms the device with the magic close.
 *
 * <p>{@link #tick(long)} is called by one thread on the injected clock; it must not be an engine
 * thread, or a hang of that thread would also hide itself.
 */
public final class WatchdogService {
    private final Clock clock;
    private final EngineProgress progress;
    private final Optional<WatchdogDevice> device;
    private final Optional<SdNotify> notify;
    private final long intervalNanos;
    private long lastKick;
    private boolean kicked;
    private String stallReported;

    public WatchdogService(Clock clock, EngineProgress progress, Optional<WatchdogDevice> device,
                           Optional<SdNotify> notify, Duration kickInterval) {
        this.clock = clock;
        this.progress = progress;
        this.device = device;
        this.notify = notify;
        this.intervalNanos = kickInterval.toNanos();
    }

    /**
     * A third of the hardware timeout, and at most half of systemd's WatchdogSec
     * ({@code $WATCHDOG_USEC}), so one late kick is not yet fatal.
     */
    public static Duration kickInterval(int hardwareTimeoutSeconds, Optional<Long> systemdWatchdogMicros) {
        Duration d = Duration.ofSeconds(hardwareTimeoutSeconds).dividedBy(3);
        if (systemdWatchdogMicros.isPresent() && systemdWatchdogMicros.get() > 0) {
            Duration s = Duration.ofNanos(systemdWatchdogMicros.get() * 1000).dividedBy(2);
            d = s.compareTo(d) < 0 ? s : d;
        }
        return d;
    }

    /** Tells systemd the service is up and kicks once, so the first timeout starts now. */
    public void start() {
        notify.ifPresent(n -> n.send("READY=1\nSTATUS=running"));
        tick(clock.nanoTime());
    }

    public void tick(long now) {
        if (kicked && now - lastKick < intervalNanos) {
            return;
        }
        Optional<Heartbeat> stalled = progress.stalled(now);
        if (stalled.isPresent()) {
            if (!stalled.get().name().equals(stallReported)) {
                // Said once per stalled thread, not per tick.
                String what = stalled.get().describe(now);
                Logger.error("Engine thread {}: not kicking the watchdog; the box reboots when it expires", what);
                notify.ifPresent(n -> n.send("STATUS=engine hung: " + what));
                stallReported = stalled.get().name();
            }
            return;
        }
        if (stallReported != null) {
            Logger.warn("Engine threads progress again; watchdog kicks resume");
            notify.ifPresent(n -> n.send("STATUS=running"));
            stallReported = null;
        }
        device.ifPresent(WatchdogDevice::kick);
        notify.ifPresent(n -> n.send("WATCHDOG=1"));
        lastKick = now;
        kicked = true;
    }

    /** When the next kick is due (at once if none was made yet, or while an engine thread stalls). */
    public long nextTickNanos(long now) {
        return kicked ? lastKick + intervalNanos : now;
    }

    /** Clean stop: systemd hears STOPPING=1, the hardware watchdog is disarmed. */
    public void stop() {
        notify.ifPresent(n -> n.send("STOPPING=1"));
        device.ifPresent(WatchdogDevice::disarm);
        notify.ifPresent(SdNotify::close);
    }
}
