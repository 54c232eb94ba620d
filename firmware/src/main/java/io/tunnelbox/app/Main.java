package io.tunnelbox.app;

/** The firmware's entry point; subcommands arrive with the engine and the lab. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("TunnelBox 0.1.0-SNAPSHOT");
    }
}
