package io.tunnelbox.hal.button;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import io.tunnelbox.hal.board.BoardCatalog;
import io.tunnelbox.hal.board.BoardConfig;
import io.tunnelbox.hal.board.BoardGpio;
import io.tunnelbox.hal.board.ButtonSpec;
import io.tunnelbox.hal.led.Pi4jMock;
import io.tunnelbox.hal.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sim board's reset button (active low, pull-up) on Pi4J's mock input, on virtual time (a tick every 50 ms). */
class ResetButtonTest {
    private final ManualClock clock = new ManualClock();
    private Context pi4j;
    private BoardGpio gpio;
    private MockDigitalInput line;
    private ResetButton button;
    private int factoryResets;

    @BeforeEach
    void setUp() {
        pi4j = Pi4jMock.context();
        gpio = BoardGpio.mock(pi4j);
        BoardConfig sim = BoardCatalog.shipped().byId("sim").orElseThrow();
        ButtonSpec spec = sim.resetButton().orElseThrow();
        line = (MockDigitalInput) gpio.input(spec.gpio(), "reset-button", spec.pull());
        assertEquals(DigitalState.HIGH, line.state(), "released: the pull-up holds the line high");
        button = new ResetButton(ButtonInput.of(line, spec.activeLow()), () -> factoryResets++);
    }

    @AfterEach
    void tearDown() {
        gpio.close();
        pi4j.shutdown();
    }

    private void hold(DigitalState level, long millis) {
        line.mockState(level);
        for (long t = 0; t < millis; t += 50) {
            button.tick(clock.nanoTime());
            clock.advance(Duration.ofMillis(50));
        }
    }

    @Test
    void shouldRestoreFactoryConfigurationAfterTenSecondsHeld() {
        hold(DigitalState.LOW, 10_000); // ticks at 0 .. 9.95 s
        assertEquals(0, factoryResets, "9.95 s is not enough");
        hold(DigitalState.LOW, 50); // the tick at 10 s
        assertEquals(1, factoryResets, "at 10 s");
        hold(DigitalState.LOW, 20_000);
        assertEquals(1, factoryResets, "once per press, however long it is held");
        hold(DigitalState.HIGH, 500);
        hold(DigitalState.LOW, 10_050);
        assertEquals(2, factoryResets, "a new press after release acts again");
    }

    @Test
    void shouldDoNothingOnShortPresses() {
        for (int i = 0; i < 20; i++) {
            hold(DigitalState.LOW, 2_000);
            hold(DigitalState.HIGH, 300);
        }
        assertEquals(0, factoryResets);
    }

    @Test
    void shouldRestartTheCountWhenTheButtonIsReleasedInBetween() {
        hold(DigitalState.LOW, 6_000);
        hold(DigitalState.HIGH, 50);
        hold(DigitalState.LOW, 6_000);
        assertEquals(0, factoryResets, "6 s + 6 s with a release between is not a 10 s hold");
    }

    @Test
    void shouldIgnoreTheButtonWhileItIsNotPressed() {
        hold(DigitalState.HIGH, 60_000);
        assertEquals(0, factoryResets);
    }
}
