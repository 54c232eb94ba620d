package io.tunnelbox.hal.nic;

import io.tunnelbox.hal.board.BoardConfig;
import io.tunnelbox.hal.board.NicRoleSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives the board's roles to interfaces: roles in file order, each takes the first interface (by
 * name) that matches and is not taken yet, so a role listed first wins a NIC both could match.
 *
 * <p>Every role given says why ({@link RoleAssignment#explanations()}). A role the firmware
 * uses ({@link #USED}: WAN and LAN) that matches nothing is a problem: the box cannot run, and the
 * message names the pattern and lists every interface found with the reason it does not match. A
 * role the firmware does not use (lan2, mgmt) that matches nothing is one short note.
 */
public final class NicRoles {
    /** The roles the firmware drives today (LinuxDataplane takes a WAN and a LAN interface). */
    public static final Set<String> USED = Set.of(NicRoleSpec.WAN, NicRoleSpec.LAN);

    private NicRoles() {
    }

    public static RoleAssignment assign(BoardConfig board, List<NicState> nics) {
        return assign(board, nics, USED);
    }

    public static RoleAssignment assign(BoardConfig board, List<NicState> nics, Set<String> used) {
        Map<String, NicState> byRole = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> explanations = new ArrayList<>();
        Map<String, String> takenBy = new HashMap<>();
        List<NicState> sorted = nics.stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
        for (NicRoleSpec spec : board.nics()) {
            List<NicState> matching = sorted.stream()
                    .filter(n -> spec.match().matches(n.name(), n.driver(), n.busPath(), n.mac())).toList();
            List<NicState> candidates = matching.stream().filter(n -> !takenBy.containsKey(n.name())).toList();
            if (candidates.isEmpty()) {
                if (used.contains(spec.role())) {
                    problems.add(noMatch(board, spec, sorted, takenBy));
                } else {
                    warnings.add("role \"" + spec.role() + "\" (not used by the firmware) matches no interface: "
                            + spec.match() + (matching.isEmpty() ? "" : " (" + names(matching) + " taken by another role)"));
                }
                continue;
            }
            NicState chosen = candidates.getFirst();
            if (candidates.size() > 1) {
                warnings.add("role \"" + spec.role() + "\": " + candidates.size() + " interfaces match " + spec.match()
                        + "; using " + chosen.name() + ", not " + names(candidates.subList(1, candidates.size())));
            }
            takenBy.put(chosen.name(), spec.role());
            byRole.put(spec.role(), chosen);
            explanations.add("role \"" + spec.role() + "\" is " + chosen.name() + ": " + String.join(", ",
                    spec.match().explain(chosen.name(), chosen.driver(), chosen.busPath(), chosen.mac()))
                    + (candidates.size() > 1 ? " (first by name of " + candidates.size() + ")" : ""));
        }
        return new RoleAssignment(byRole, problems, warnings, explanations);
    }

    private static String names(List<NicState> nics) {
        return String.join(", ", nics.stream().map(NicState::name).toList());
    }

    /** Several lines: the role, its pattern, and each interface found with why it was not taken. */
    private static String noMatch(BoardConfig board, NicRoleSpec spec, List<NicState> nics, Map<String, String> takenBy) {
        StringBuilder s = new StringBuilder("role \"" + spec.role() + "\" is used but no network interface matches "
                + "its pattern in board file " + board.id() + ".json: " + spec.match() + "\n");
        if (nics.isEmpty()) {
            s.append("  interfaces found: none\n");
        } else {
            s.append("  interfaces found:\n");
            for (NicState n : nics) {
                List<String> failing = spec.match().failing(n.name(), n.driver(), n.busPath(), n.mac());
                s.append("    ").append(n.details()).append("  <- ");
                if (failing.isEmpty()) {
                    s.append("matches, but is already role \"").append(takenBy.get(n.name())).append('"');
                } else {
                    s.append(String.join(", ", spec.match().explain(n.name(), n.driver(), n.busPath(), n.mac())
                            .stream().filter(e -> e.contains(" does not match ")).toList()));
                }
                s.append('\n');
            }
        }
        s.append("  Fix the pattern in board-configs/").append(board.id()).append(".json (or put a corrected copy in ")
                .append("/etc/tunnelbox/boards/), or plug in the missing NIC; board-configs/README.md says how to "
                        + "read these facts off a board.");
        return s.toString();
    }
}
