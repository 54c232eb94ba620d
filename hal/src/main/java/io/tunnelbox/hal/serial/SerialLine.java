package io.tunnelbox.hal.serial;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The board's console serial device. A cable can be unplugged and plugged back at any time: a
 * {@link Connection} lasts until the line goes away (its input then reads -1); the next
 * {@link #awaitConnection()} waits until the device can be opened again.
 */
public interface SerialLine extends Closeable {
    /** The device path, such as {@code /dev/ttyS0} or {@code /dev/ttyGS0}. */
    String device();

    /** Bits per second (8 data bits, no parity, one stop bit, no flow control). */
    int baudRate();

    /**
     * Opens the device, retrying on a timer while it is absent or busy.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws java.io.IOException if the line has been closed
     */
    Connection awaitConnection() throws InterruptedException, java.io.IOException;

    /** Closes the current connection and makes {@link #awaitConnection()} stop waiting. */
    @Override
    void close();

    /** One period during which the device is open. */
    interface Connection extends Closeable {
        /** Reads block until data arrives; -1 means the line went away (or was closed). */
        InputStream input();

        /** Writes throw {@link java.io.IOException} once the line is gone. */
        OutputStream output();

        /** False once the line went away or was closed. */
        boolean isOpen();

        @Override
        void close();
    }
}
