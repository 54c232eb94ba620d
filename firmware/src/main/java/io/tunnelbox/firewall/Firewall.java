package io.tunnelbox.firewall;

import io.tunnelbox.config.Config;

/** The box's packet filter, made to match each configuration that is applied. */
public interface Firewall extends AutoCloseable {
    /** Makes the filter match {@code next}; failures are reported by {@link #show()}, never thrown. */
    void apply(Config next);

    /** The rules with their counters, or why there are none. */
    String show();

    /** Removes the filter. */
    @Override
    void close();

    /** No filter (in-memory boxes and tests that have no kernel to filter). */
    Firewall NONE = new Firewall() {
        @Override
        public void apply(Config next) {
        }

        @Override
        public String show() {
            return "no firewall on this box (it runs in memory)";
        }

        @Override
        public void close() {
        }
    };
}
