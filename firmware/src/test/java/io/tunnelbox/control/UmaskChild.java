package io.tunnelbox.control;

import java.nio.file.Path;

/** Starts a control server in a process whose umask is 000 (see ControlSocketTest). */
final class UmaskChild {
    public static void main(String[] args) throws Exception {
        ControlServer server = ControlServer.start(Path.of(args[0]), cmd -> "x");
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(30_000);
        server.close();
    }
}
