package io.tunnelbox.hal.nic;

import io.tunnelbox.hal.board.BoardConfig;
import io.tunnelbox.hal.board.NicRoleSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives the board's roles to interfaces: roles in file order, each takes the first interface (by
 * name) that matches and is not taken yet, so a role listed first wins a NIC both could match.
 */
public final class NicRoles {
    private NicRoles() {
    }

    public static RoleAssignment assign(BoardConfig board, List<NicState> nics) {
        Map<String, NicState> byRole = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        List<NicState> sorted = nics.stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
        for (NicRoleSpec spec : board.nics()) {
            List<NicState> candidates = sorted.stream().filter(n -> !taken.contains(n.name()))
                    .filter(n -> spec.match().matches(n.name(), n.driver(), n.busPath(), n.mac())).toList();
            if (candidates.isEmpty()) {
                String msg = "role \"" + spec.role() + "\": no interface matches " + spec.match() + " (interfaces: "
                        + String.join(", ", sorted.stream().map(NicState::describe).toList()) + ")";
                if (spec.role().equals(NicRoleSpec.WAN) || spec.role().equals(NicRoleSpec.LAN)) {
                    problems.add(msg);
                } else {
                    warnings.add(msg);
                }
                continue;
            }
            NicState chosen = candidates.getFirst();
            if (candidates.size() > 1) {
                warnings.add("role \"" + spec.role() + "\": " + candidates.size() + " interfaces match " + spec.match()
                        + "; using " + chosen.name() + ", not " + String.join(", ",
                        candidates.subList(1, candidates.size()).stream().map(NicState::name).toList()));
            }
            taken.add(chosen.name());
            byRole.put(spec.role(), chosen);
        }
        return new RoleAssignment(byRole, problems, warnings);
    }
}
