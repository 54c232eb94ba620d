package io.tunnelbox.hal.serial;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import io.tunnelbox.hal.time.Sleeper;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.tinylog.Logger;

/**
 * A {@link SerialLine} over jSerialComm (8N1, no flow control).
 *
 * <p>Unplugging is detected by reads, not by jSerialComm's DISCONNECTED event: on a pty or a USB
 * gadget the event listener can fire in a tight loop, while a read simply returns -1 (EIO) once
 * the other end is gone, even though {@code isOpen()} still says true. So a -1 read or a failed
 * write closes the port at once, and {@link #awaitConnection()} reopens it on a timer: no thread
 * spins while the cable is out.
 */
public final class JSerialCommLine implements SerialLine {
    /** Reads wake up this often to notice {@link #close()}; data arrives sooner. */
    static final int READ_TIMEOUT_MILLIS = 200;

    private final String device;
    private final int baudRate;
    private final Duration retryInterval;
    private final Sleeper sleeper;
    private final Object lock = new Object();
    private volatile boolean closed;
    private PortConnection current;

    public JSerialCommLine(String device, int baudRate) {
        this(device, baudRate, Duration.ofSeconds(1), Sleeper.SYSTEM);
    }

    public JSerialCommLine(String device, int baudRate, Duration retryInterval, Sleeper sleeper) {
        this.device = Objects.requireNonNull(device, "device");
        if (baudRate <= 0) {
            throw new IllegalArgumentException("baud rate must be positive: " + baudRate);
        }
        if (retryInterval.isNegative() || retryInterval.isZero()) {
            throw new IllegalArgumentException("retry interval must be positive: " + retryInterval);
        }
        this.baudRate = baudRate;
        this.retryInterval = retryInterval;
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public int baudRate() {
        return baudRate;
    }

    @Override
    public Connection awaitConnection() throws InterruptedException, IOException {
        String lastReason = null;
        while (true) {
            if (closed) {
                throw new IOException("serial line " + device + " is closed");
            }
            String reason = tryOpen();
            if (reason == null) {
                synchronized (lock) {
                    if (current == null) {
                        throw new IOException("serial line " + device + " is closed");
                    }
                    Logger.info("Serial console {} open at {} baud", device, baudRate);
                    return current;
                }
            }
            // One log line per change of reason, not one per retry: the cable may stay out for days.
            if (!reason.equals(lastReason)) {
                Logger.info("Serial console {} not available ({}); retrying every {} ms",
                        device, reason, retryInterval.toMillis());
                lastReason = reason;
            }
            sleeper.sleep(retryInterval);
        }
    }

    /** Returns null when the port is open, else why not. */
    private String tryOpen() {
        synchronized (lock) {
            if (current != null && current.isOpen()) {
                return null;
            }
        }
        if (!Files.exists(Path.of(device))) {
            return "no such device";
        }
        SerialPort port;
        try {
            port = SerialPort.getCommPort(device);
        } catch (SerialPortInvalidPortException e) {
            return "not a serial port: " + e.getMessage();
        }
        port.setComPortParameters(baudRate, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING,
                READ_TIMEOUT_MILLIS, 0);
        if (!port.openPort()) {
            return "open failed, error " + port.getLastErrorCode() + " at " + port.getLastErrorLocation();
        }
        synchronized (lock) {
            if (closed) {
                port.closePort();
                return "line closed";
            }
            current = new PortConnection(port, device);
            return null;
        }
    }

    @Override
    public void close() {
        PortConnection c;
        synchronized (lock) {
            closed = true;
            c = current;
            current = null;
        }
        if (c != null) {
            c.close();
        }
    }

    /** The port while it is open; closes itself the first time the line is found gone. */
    private static final class PortConnection implements Connection {
        private final SerialPort port;
        private final String device;
        private final AtomicBoolean open = new AtomicBoolean(true);
        private final InputStream input = new Input();
        private final OutputStream output = new Output();

        PortConnection(SerialPort port, String device) {
            this.port = port;
            this.device = device;
        }

        @Override
        public InputStream input() {
            return input;
        }

        @Override
        public OutputStream output() {
            return output;
        }

        @Override
        public boolean isOpen() {
            return open.get();
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                port.closePort();
            }
        }

        private void lost(String what) {
            if (open.get()) {
                Logger.info("Serial console {} went away ({}); closing it", device, what);
                close();
            }
        }

        private final class Input extends InputStream {
            private final byte[] one = new byte[1];

            @Override
            public int read() throws IOException {
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (len == 0) {
                    return 0;
                }
                while (open.get()) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedIOException("serial read interrupted");
                    }
                    int n = port.readBytes(b, len, off);
                    if (n > 0) {
                        return n;
                    }
                    if (n < 0) {
                        lost("read error " + port.getLastErrorCode());
                        return -1;
                    }
                    // 0: the read timed out with nothing to read; loop to notice close().
                }
                return -1;
            }

            @Override
            public int available() {
                int n = open.get() ? port.bytesAvailable() : 0;
                return Math.max(n, 0);
            }

            @Override
            public void close() {
                PortConnection.this.close();
            }
        }

        private final class Output extends OutputStream {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                int done = 0;
                while (done < len) {
                    if (!open.get()) {
                        throw new IOException("serial line " + device + " is closed");
                    }
                    int n = port.writeBytes(b, len - done, off + done);
                    if (n <= 0) {
                        lost("write error " + port.getLastErrorCode());
                        throw new IOException("serial line " + device + " went away");
                    }
                    done += n;
                }
            }

            @Override
            public void close() {
                PortConnection.this.close();
            }
        }
    }
}
