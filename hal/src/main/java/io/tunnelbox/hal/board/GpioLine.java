package io.tunnelbox.hal.board;

/** One GPIO line as the kernel's character device names it: chip {@code gpiochipN}, line offset. */
public record GpioLine(String chip, int line) {
    @Override
    public String toString() {
        return chip + "/" + line;
    }
}
