package io.tunnelbox.router;

/** Whether a tunnel carries traffic. */
public enum LinkState {
    UP, DOWN;

    public String label() {
        return this == UP ? "up" : "down";
    }
}
