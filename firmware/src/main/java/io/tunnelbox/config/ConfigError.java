package io.tunnelbox.config;

/**
 * One problem with a configuration: where ({@code tunnels[1].remote}, or "" for the whole file) and
 * what, printed as {@code tunnels[1].remote: "300.1.1.1" is not an IPv4 address}.
 */
public record ConfigError(String path, String message) {
    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
