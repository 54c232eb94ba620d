package io.tunnelbox.config;

import java.util.List;

/** What a {@link ConfigApplier} reports: ok, or the problems that stopped it. */
public record ApplyResult(boolean ok, List<String> problems) {
    public static final ApplyResult OK = new ApplyResult(true, List.of());

    public ApplyResult {
        problems = List.copyOf(problems);
    }

    public static ApplyResult failed(String... problems) {
        return new ApplyResult(false, List.of(problems));
    }
}
