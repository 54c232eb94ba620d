package io.tunnelbox.tunnel;

/** Whether a tunnel carries traffic. */
public enum LinkState {
    UP, DOWN;

    public String label() {
        return this == UP ? "up" : "down";
    }
}
