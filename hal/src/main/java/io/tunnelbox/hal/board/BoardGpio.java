package io.tunnelbox.hal.board;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.tinylog.Logger;

/**
 * The board's GPIO lines through Pi4J 3. On hardware, the gpiod provider. Pi4J 3.0.3 keeps one
 * gpiod context per process, bound to one chip, and initialises it only when its board detection
 * recognises a Raspberry Pi; so board files put all their GPIO lines on one chip (the validator
 * checks), and boards other than Raspberry Pis use kernel LEDs and input devices instead. In tests
 * and on the sim board, Pi4J's mock provider in a context the caller owns.
 */
public final class BoardGpio implements AutoCloseable {
    private final Function<String, Context> contextFactory;
    private final boolean ownsContexts;
    private final String outputProvider;
    private final String inputProvider;
    private final Map<String, Context> contexts = new LinkedHashMap<>();

    private BoardGpio(Function<String, Context> contextFactory, boolean ownsContexts, String outputProvider,
                      String inputProvider) {
        this.contextFactory = contextFactory;
        this.ownsContexts = ownsContexts;
        this.outputProvider = outputProvider;
        this.inputProvider = inputProvider;
    }

    /** Real GPIO through libgpiod (pi4j-plugin-gpiod) on one chip, the context shut down by {@link #close()}. */
    public static BoardGpio gpiod() {
        return new BoardGpio(chip -> Pi4J.newContextBuilder().noAutoDetect()
                .add(GpioDDigitalOutputProvider.newInstance(), GpioDDigitalInputProvider.newInstance())
                .setGpioChipName(chip).build(), true, GpioDDigitalOutputProvider.ID, GpioDDigitalInputProvider.ID);
    }

    /** Pi4J's mock providers in {@code context}, which the caller builds and shuts down. */
    public static BoardGpio mock(Context context) {
        return new BoardGpio(chip -> context, false, MockDigitalOutputProvider.ID, MockDigitalInputProvider.ID);
    }

    private synchronized Context context(String chip) {
        if (ownsContexts && !contexts.isEmpty() && !contexts.containsKey(chip)) {
            throw new IllegalStateException("GPIO chip " + chip + " requested, but Pi4J's gpiod provider is already bound to "
                    + contexts.keySet().iterator().next() + " (one chip per process)");
        }
        return contexts.computeIfAbsent(chip, contextFactory);
    }

    private static String id(GpioLine line, String what) {
        return what + "-" + line.chip() + "-" + line.line();
    }

    /** An output that starts (and is left, at shutdown) at {@code initial}. */
    public DigitalOutput output(GpioLine line, String what, DigitalState initial) {
        Context ctx = context(line.chip());
        return ctx.create(DigitalOutput.newConfigBuilder(ctx).id(id(line, what)).name(what + " on " + line)
                .address(line.line()).provider(outputProvider).initial(initial).shutdown(initial).build());
    }

    public DigitalInput input(GpioLine line, String what, String pull) {
        Context ctx = context(line.chip());
        PullResistance p = switch (pull) {
            case "up" -> PullResistance.PULL_UP;
            case "down" -> PullResistance.PULL_DOWN;
            default -> PullResistance.OFF;
        };
        DigitalInput in = ctx.create(DigitalInput.newConfigBuilder(ctx).id(id(line, what)).name(what + " on " + line)
                .address(line.line()).pull(p).provider(inputProvider).build());
        if (in instanceof MockDigitalInput mock) {
            // A mock line reads low until told otherwise; with a pull-up a real idle line reads high,
            // and an active-low button would otherwise look held from the start.
            mock.mockState(p == PullResistance.PULL_UP ? DigitalState.HIGH : DigitalState.LOW);
        }
        return in;
    }

    @Override
    public synchronized void close() {
        if (ownsContexts) {
            for (Map.Entry<String, Context> e : contexts.entrySet()) {
                try {
                    e.getValue().shutdown();
                } catch (RuntimeException ex) {
                    Logger.warn("Pi4J context for {} did not shut down cleanly: {}", e.getKey(), ex.getMessage());
                }
            }
        }
        contexts.clear();
    }
}
