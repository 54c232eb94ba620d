package io.tunnelbox.flash;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A terminal on a serial line: keys go to the port, the port's bytes to the screen, until Ctrl-]
 * (the telnet escape) or the line goes away. 8N1, no flow control, the console settings every
 * TunnelBox board uses.
 */
final class SerialBridge {
    static final int QUIT = 0x1d; // Ctrl-]

    private SerialBridge() {
    }

    static SerialPort open(String device, int speed) {
        SerialPort port = SerialPort.getCommPort(device);
        port.setComPortParameters(speed, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, 200, 0);
        if (!port.openPort()) {
            throw new FlashException("cannot open " + device + " (error " + port.getLastErrorCode()
                    + "): is it the right device, and are you in the dialout group?");
        }
        return port;
    }

    /** Runs until Ctrl-] on {@code keys} or the end of either side; returns why it stopped. */
    static String run(SerialPort port, InputStream keys, OutputStream screen) throws IOException, InterruptedException {
        InputStream fromBox = port.getInputStream();
        OutputStream toBox = port.getOutputStream();
        java.util.concurrent.atomic.AtomicReference<String> why = new java.util.concurrent.atomic.AtomicReference<>();
        Thread reader = Thread.ofPlatform().daemon().name("serial-to-screen").start(() -> {
            byte[] buf = new byte[4096];
            try {
                while (port.isOpen()) {
                    int n;
                    try {
                        n = fromBox.read(buf);
                    } catch (com.fazecast.jSerialComm.SerialPortTimeoutException e) {
                        continue;
                    }
                    if (n < 0) {
                        // Tell the person now: the key loop only notices at the next key press.
                        if (why.compareAndSet(null, "the serial line went away (cable unplugged?)")) {
                            screen.write("\r\n[serial line gone: press a key to leave]\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                            screen.flush();
                        }
                        return;
                    }
                    screen.write(buf, 0, n);
                    screen.flush();
                }
            } catch (IOException e) {
                why.compareAndSet(null, "serial line error: " + e.getMessage());
            }
        });
        try {
            for (int c; (c = keys.read()) >= 0; ) {
                if (c == QUIT) {
                    why.compareAndSet(null, "Ctrl-] pressed");
                    break;
                }
                toBox.write(c);
                toBox.flush();
                if (!reader.isAlive()) {
                    break;
                }
            }
        } finally {
            port.closePort();
            reader.join(2000);
        }
        why.compareAndSet(null, "end of input");
        return why.get();
    }
}
