package io.tunnelbox.hal.board;

import java.util.List;
import java.util.Optional;

/**
 * A validated board file (see board-configs/README.md). {@code models} are prefixes of
 * {@code /proc/device-tree/model}; an empty list means the board is chosen only by override
 * (the {@code sim} board).
 */
public record BoardConfig(int format, String id, String name, List<String> models, List<String> sources,
                          List<NicRoleSpec> nics, List<LedSpec> leds, ConsoleSpec console,
                          Optional<WatchdogSpec> watchdog, Optional<ButtonSpec> resetButton) {
    public BoardConfig {
        models = List.copyOf(models);
        sources = List.copyOf(sources);
        nics = List.copyOf(nics);
        leds = List.copyOf(leds);
    }

    public Optional<LedSpec> led(LedFunction function) {
        return leds.stream().filter(l -> l.function() == function).findFirst();
    }

    public boolean matchesModel(String model) {
        return models.stream().anyMatch(model::startsWith);
    }
}
