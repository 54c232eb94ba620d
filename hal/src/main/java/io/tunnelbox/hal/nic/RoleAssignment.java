package io.tunnelbox.hal.nic;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which interface plays which role. {@code problems} explain missing required roles (no WAN or
 * LAN found); {@code warnings} explain choices among several candidates.
 */
public record RoleAssignment(Map<String, NicState> byRole, List<String> problems, List<String> warnings) {
    public RoleAssignment {
        byRole = Map.copyOf(byRole);
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
    }

    public boolean complete() {
        return problems.isEmpty();
    }

    public Optional<NicState> nic(String role) {
        return Optional.ofNullable(byRole.get(role));
    }

    public Optional<String> roleOf(String nicName) {
        return byRole.entrySet().stream().filter(e -> e.getValue().name().equals(nicName)).map(Map.Entry::getKey)
                .findFirst();
    }
}
