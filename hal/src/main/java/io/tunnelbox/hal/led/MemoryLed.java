package io.tunnelbox.hal.led;


/** An LED of the sim board: remembers its state and how often it changed (the web page or lab can show it). */
public final class MemoryLed implements Led {
    private final String name;
    private volatile boolean on;
    private volatile long changes;

    public MemoryLed(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void set(boolean on) {
        if (on != this.on) {
            this.on = on;
            changes++;
        }
    }

    @Override
    public boolean isOn() {
        return on;
    }

    public long changes() {
        return changes;
    }

    @Override
    public void close() {
        set(false);
    }
}
