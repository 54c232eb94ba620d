package io.tunnelbox.hal.status;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import io.tunnelbox.hal.board.BoardConfig;
import io.tunnelbox.hal.board.BoardGpio;
import io.tunnelbox.hal.board.ButtonSpec;
import io.tunnelbox.hal.board.LedFunction;
import io.tunnelbox.hal.board.WatchdogSpec;
import io.tunnelbox.hal.button.ButtonInput;
import io.tunnelbox.hal.button.FactoryReset;
import io.tunnelbox.hal.button.InputEventButton;
import io.tunnelbox.hal.button.ResetButton;
import io.tunnelbox.hal.led.BoardLeds;
import io.tunnelbox.hal.led.Led;
import io.tunnelbox.hal.nic.LinkMonitor;
import io.tunnelbox.hal.nic.NicInventory;
import io.tunnelbox.hal.nic.NicRoles;
import io.tunnelbox.hal.nic.RoleAssignment;
import io.tunnelbox.hal.nic.SysfsNics;
import io.tunnelbox.hal.sim.SimNics;
import io.tunnelbox.hal.time.Clock;
import io.tunnelbox.hal.time.Sleeper;
import io.tunnelbox.hal.watchdog.EngineProgress;
import io.tunnelbox.hal.watchdog.LinuxWatchdog;
import io.tunnelbox.hal.watchdog.SdNotify;
import io.tunnelbox.hal.watchdog.WatchdogDevice;
import io.tunnelbox.hal.watchdog.WatchdogService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.tinylog.Logger;

/**
 * The board's slow services put together for the firmware's main: NIC roles and link events,
 * status LEDs, the reset button and the watchdog, ticked by one {@link TickLoop}. The engine
 * publishes {@link StatusEvent}s on {@link #bus()} and registers its threads with
 * {@link #progress()}. The sim board gets in-memory NICs and LEDs and Pi4J's mock GPIO.
 */
public final class BoardServices implements AutoCloseable {
    private final BoardConfig board;
    private final StatusBus bus = new StatusBus();
    private final NicInventory nics;
    private final RoleAssignment roles;
    private final LinkMonitor links;
    /** The kernel's link events, which wake the link monitor; null off Linux or in tests. */
    private final io.tunnelbox.hal.linux.Rtnetlink linkEvents;
    private final Map<LedFunction, Led> leds;
    private final StatusLeds statusLeds;
    private final EngineProgress progress;
    private final WatchdogService watchdog;
    private final ResetButton button;
    private final InputEventButton inputButton;
    private final BoardGpio gpio;
    private final Context ownedPi4j;
    private final TickLoop loop;

    /** Where the services find the hardware; tests point these at fakes. */
    public record Paths(Path sysClassNet, Path sysClassLeds, Optional<String> watchdogDevice) {
        public static final Paths LINUX = new Paths(SysfsNics.CLASS_NET, BoardLeds.SYS_CLASS_LEDS, Optional.empty());
    }

    private BoardServices(BoardConfig board, NicInventory nics, BoardGpio gpio, Context ownedPi4j, Paths paths,
                          Clock clock, Sleeper sleeper, FactoryReset reset, Optional<SdNotify> notify) {
        this.board = board;
        this.nics = nics;
        this.gpio = gpio;
        this.ownedPi4j = ownedPi4j;
        this.roles = NicRoles.assign(board, nics.scan());
        roles.warnings().forEach(w -> Logger.warn("Board {}: {}", board.id(), w));
        roles.problems().forEach(p -> Logger.error("Board {}: {}", board.id(), p));
        this.links = new LinkMonitor(nics, board);
        links.addListener(bus.wanLinkPublisher());
        this.linkEvents = paths.sysClassNet().equals(SysfsNics.CLASS_NET) ? linkEvents(links, this::wakeLoop) : null;
        this.leds = BoardLeds.open(board, gpio, paths.sysClassLeds());
        this.statusLeds = new StatusLeds(leds);
        bus.subscribe(statusLeds);
        this.progress = new EngineProgress(clock);
        Optional<WatchdogDevice> device = Optional.empty();
        int timeout = board.watchdog().map(WatchdogSpec::timeoutSeconds).orElse(15);
        Optional<String> devicePath = paths.watchdogDevice().or(() -> board.watchdog().map(WatchdogSpec::device));
        if (devicePath.isPresent()) {
            try {
                device = Optional.of(LinuxWatchdog.open(devicePath.get(), Duration.ofSeconds(timeout)));
            } catch (RuntimeException e) {
                Logger.error("Watchdog {} cannot be opened ({}): running without a hardware watchdog",
                        devicePath.get(), e.getMessage());
            }
        }
        Optional<Long> systemdMicros = systemdWatchdogMicros();
        this.watchdog = new WatchdogService(clock, progress, device, notify,
                WatchdogService.kickInterval(timeout, systemdMicros));
        ResetButton b = null;
        InputEventButton inputButton = null;
        if (board.resetButton().isPresent()) {
            ButtonSpec spec = board.resetButton().get();
            if (spec.isInput()) {
                inputButton = new InputEventButton(spec.inputDevice(), spec.keyCode());
                b = new ResetButton(inputButton, reset);
            } else if (gpio != null) {
                try {
                    b = new ResetButton(ButtonInput.of(gpio.input(spec.gpio(), "reset-button", spec.pull()),
                            spec.activeLow()), reset);
                } catch (RuntimeException | LinkageError e) {
                    Logger.warn("Reset button on {} unavailable: {}", spec.gpio(), e.getMessage());
                }
            }
        }
        this.inputButton = inputButton;
        this.button = b;
        this.loop = new TickLoop(clock, sleeper, TickLoop.DEFAULT_PERIOD)
                .add("link monitor", links::tick, links::nextTickNanos)
                .add("status LEDs", statusLeds::tick, statusLeds::nextTickNanos)
                .add("watchdog", watchdog::tick, watchdog::nextTickNanos);
        if (button != null) {
            loop.add("reset button", button::tick, button::nextTickNanos);
        }
        // A status change is shown at once, not at the next due tick.
        bus.subscribe(event -> loop.wake());
    }

    /** A link event reads the NICs at once: the monitor is told, and the tick loop woken. */
    private void wakeLoop() {
        TickLoop l = loop; // null while the constructor has not made it yet
        if (l != null) {
            l.wake();
        }
    }

    private static io.tunnelbox.hal.linux.Rtnetlink linkEvents(LinkMonitor links, Runnable wakeLoop) {
        try {
            io.tunnelbox.hal.linux.Rtnetlink r = io.tunnelbox.hal.linux.Rtnetlink.start(e -> {
                links.wake();
                wakeLoop.run();
            });
            links.eventDriven();
            return r;
        } catch (RuntimeException | LinkageError e) {
            Logger.warn("No rtnetlink events ({}): link changes are polled every {} ms", e.getMessage(),
                    LinkMonitor.DEFAULT_INTERVAL.toMillis());
            return null;
        }
    }

    private static Optional<Long> systemdWatchdogMicros() {
        String s = System.getenv("WATCHDOG_USEC");
        try {
            return s == null ? Optional.empty() : Optional.of(Long.parseLong(s.strip()));
        } catch (NumberFormatException e) {
            Logger.warn("Ignoring WATCHDOG_USEC=\"{}\": not a number", s);
            return Optional.empty();
        }
    }

    /** Real hardware: sysfs NICs and LEDs, gpiod GPIO, the board's watchdog, systemd if present. */
    public static BoardServices hardware(BoardConfig board, Paths paths, Clock clock, FactoryReset reset) {
        BoardGpio gpio = BoardGpio.gpiod();
        return new BoardServices(board, new SysfsNics(paths.sysClassNet()), gpio, null, paths, clock, Sleeper.SYSTEM,
                reset, SdNotify.fromEnvironment());
    }

    /** Hardware paths but GPIO on a caller's Pi4J mock context and no systemd: for tests against fake sysfs. */
    public static BoardServices withMockGpio(BoardConfig board, Paths paths, Context pi4jMock, Clock clock,
                                             FactoryReset reset, Optional<SdNotify> notify) {
        return new BoardServices(board, new SysfsNics(paths.sysClassNet()), BoardGpio.mock(pi4jMock), null, paths,
                clock, Sleeper.SYSTEM, reset, notify);
    }

    /** The sim board: in-memory NICs and LEDs, mock GPIO (owned), no hardware watchdog. */
    public static BoardServices sim(BoardConfig board, Clock clock, Sleeper sleeper, FactoryReset reset) {
        Context pi4j = Pi4J.newContextBuilder().noAutoDetect().add(new MockPlatform())
                .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance()).build();
        return new BoardServices(board, SimNics.forBoard(board), BoardGpio.mock(pi4j), pi4j,
                new Paths(Path.of("/nonexistent"), Path.of("/nonexistent"), Optional.empty()), clock, sleeper, reset,
                SdNotify.fromEnvironment());
    }

    public BoardConfig board() {
        return board;
    }

    public StatusBus bus() {
        return bus;
    }

    /** The roles now (given again when a USB NIC comes or goes). */
    public RoleAssignment roles() {
        return links.roles();
    }

    public NicInventory nics() {
        return nics;
    }

    public LinkMonitor links() {
        return links;
    }

    public Map<LedFunction, Led> leds() {
        return leds;
    }

    public EngineProgress progress() {
        return progress;
    }

    public TickLoop loop() {
        return loop;
    }

    /** Announces readiness (systemd READY=1, first kick) and starts the tick thread. */
    public void start() {
        bus.publish(new StatusEvent.Running(true));
        watchdog.start();
        loop.start();
    }

    /** For virtual time: readiness without the thread; drive it with {@code loop().runOnce()}. */
    public void startManual() {
        bus.publish(new StatusEvent.Running(true));
        watchdog.start();
    }

    /** Clean stop: LEDs dark, watchdog disarmed, GPIO released. */
    @Override
    public void close() {
        if (linkEvents != null) {
            linkEvents.close();
        }
        loop.stop();
        watchdog.stop();
        statusLeds.close();
        if (inputButton != null) {
            inputButton.close();
        }
        if (gpio != null) {
            gpio.close();
        }
        if (ownedPi4j != null) {
            ownedPi4j.shutdown();
        }
    }
}
