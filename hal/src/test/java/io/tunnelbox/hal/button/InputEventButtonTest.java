package io.tunnelbox.hal.button;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tunnelbox.hal.time.ManualClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gpio-keys button (NanoPi R4S) read as an input device; the device is a file the test appends events to. */
public class InputEventButtonTest {
    static final int KEY_RESTART = 0x198;
    static final int EV_SYN = 0;

    @TempDir
    Path dir;

    /** Appends one struct input_event (native byte order, 64-bit timeval). */
    public static void event(Path device, int type, int code, int value) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder());
        b.putLong(1_700_000_000L).putLong(0).putShort((short) type).putShort((short) code).putInt(value);
        Files.write(device, b.array(), StandardOpenOption.APPEND);
    }

    /** A key press or release as the kernel reports it: the key event, then a SYN_REPORT. */
    public static void key(Path device, int code, int value) throws IOException {
        event(device, InputEventButton.EV_KEY, code, value);
        event(device, EV_SYN, 0, 0);
    }

    @Test
    void shouldFollowPressAndReleaseOfItsKeyOnly() throws IOException {
        Path device = Files.createFile(dir.resolve("event0"));
        try (InputEventButton button = new InputEventButton(device.toString(), KEY_RESTART)) {
            assertFalse(button.pressed());
            key(device, 116, 1); // KEY_POWER: another key
            assertFalse(button.pressed());
            key(device, KEY_RESTART, 1);
            assertEquals(true, button.pressed());
            key(device, KEY_RESTART, 2); // auto-repeat while held
            assertEquals(true, button.pressed());
            assertEquals(true, button.pressed(), "no new event: still held");
            key(device, KEY_RESTART, 0);
            assertFalse(button.pressed());
        }
    }

    @Test
    void shouldRestoreFactoryConfigurationWhenHeldTenSeconds() throws IOException {
        Path device = Files.createFile(dir.resolve("event0"));
        ManualClock clock = new ManualClock();
        int[] resets = {0};
        try (InputEventButton input = new InputEventButton(device.toString(), KEY_RESTART)) {
            ResetButton button = new ResetButton(input, () -> resets[0]++);
            key(device, KEY_RESTART, 1);
            for (int i = 0; i <= 200; i++) { // 0 .. 10 s in 50 ms ticks
                button.tick(clock.nanoTime());
                clock.advance(Duration.ofMillis(50));
            }
            assertEquals(1, resets[0]);
            key(device, KEY_RESTART, 0);
            key(device, KEY_RESTART, 1);
            button.tick(clock.nanoTime());
            clock.advance(Duration.ofSeconds(3));
            key(device, KEY_RESTART, 0);
            button.tick(clock.nanoTime());
            assertEquals(1, resets[0], "a 3 s press does nothing");
        }
    }

    @Test
    void shouldIgnoreAMissingDevice() {
        try (InputEventButton button = new InputEventButton(dir.resolve("absent").toString(), KEY_RESTART)) {
            assertFalse(button.pressed());
        }
    }
}
