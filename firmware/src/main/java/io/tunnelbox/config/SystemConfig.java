package io.tunnelbox.config;

import java.util.List;
import java.util.Optional;

/** Who the box is and who may administer it. */
public record SystemConfig(String hostname, List<AdminAccount> admins) {
    public static final SystemConfig DEFAULT = new SystemConfig("tunnelbox", List.of());

    public SystemConfig {
        admins = List.copyOf(admins);
    }

    public Optional<AdminAccount> admin(String name) {
        return admins.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
