package io.tunnelbox.hal.nic;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which interface plays which role. {@code problems} explain roles the firmware uses that no
 * interface matches (the box cannot start; each names the pattern and lists the interfaces
 * found); {@code warnings} are one line each (several candidates for a role, an unused role
 * matching nothing); {@code explanations} say which interface got each role and why.
 */
public record RoleAssignment(Map<String, NicState> byRole, List<String> problems, List<String> warnings,
                             List<String> explanations) {
    public RoleAssignment {
        byRole = Map.copyOf(byRole);
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
        explanations = List.copyOf(explanations);
    }

    public boolean complete() {
        return problems.isEmpty();
    }

    /** The message that stops a box whose used roles are not all found ({@link #complete()} false). */
    public String startupError(String boardId) {
        return "Board " + boardId + ": cannot start, " + problems.size() + (problems.size() == 1 ? " NIC role" : " NIC roles")
                + " found no interface.\n" + String.join("\n", problems);
    }

    public Optional<NicState> nic(String role) {
        return Optional.ofNullable(byRole.get(role));
    }

    public Optional<String> roleOf(String nicName) {
        return byRole.entrySet().stream().filter(e -> e.getValue().name().equals(nicName)).map(Map.Entry::getKey)
                .findFirst();
    }
}
