package io.tunnelbox.hal.board;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How a board file recognises a NIC. Each criterion is a list of globs ({@code *} and {@code ?});
 * a criterion matches when any of its globs does, and a NIC matches when every given criterion
 * does. USB NIC names vary ({@code eth1}, {@code enx001122334455}), so boards usually match USB
 * NICs by driver or bus path rather than by name.
 *
 * @param names   interface names
 * @param drivers kernel driver (basename of {@code /sys/class/net/IF/device/driver})
 * @param busPaths device path below {@code /sys/devices} (target of {@code /sys/class/net/IF/device})
 * @param macs    MAC address, lower case, colon separated
 */
public record NicMatch(List<String> names, List<String> drivers, List<String> busPaths, List<String> macs) {
    public NicMatch {
        names = List.copyOf(names);
        drivers = List.copyOf(drivers);
        busPaths = List.copyOf(busPaths);
        macs = macs.stream().map(m -> m.toLowerCase(Locale.ROOT)).toList();
    }

    public static NicMatch byName(String name) {
        return new NicMatch(List.of(name), List.of(), List.of(), List.of());
    }

    public boolean matches(String name, String driver, String busPath, String mac) {
        return any(names, name) && any(drivers, driver) && any(busPaths, busPath)
                && any(macs, mac == null ? null : mac.toLowerCase(Locale.ROOT));
    }

    /**
     * Why a NIC matches or not, criterion by criterion: {@code driver r8169 matches r8169|r8125},
     * {@code busPath /sys/devices/platform/fe270000.pcie/... does not match *fe260000.pcie*}.
     */
    public List<String> explain(String name, String driver, String busPath, String mac) {
        List<String> out = new java.util.ArrayList<>();
        explain(out, "name", names, name);
        explain(out, "driver", drivers, driver);
        explain(out, "busPath", busPaths, busPath);
        explain(out, "mac", macs, mac == null ? null : mac.toLowerCase(Locale.ROOT));
        return out;
    }

    /** The criteria a NIC fails, e.g. {@code busPath}; empty when it matches. */
    public List<String> failing(String name, String driver, String busPath, String mac) {
        List<String> out = new java.util.ArrayList<>();
        if (!any(names, name)) {
            out.add("name");
        }
        if (!any(drivers, driver)) {
            out.add("driver");
        }
        if (!any(busPaths, busPath)) {
            out.add("busPath");
        }
        if (!any(macs, mac == null ? null : mac.toLowerCase(Locale.ROOT))) {
            out.add("mac");
        }
        return out;
    }

    private static void explain(List<String> out, String key, List<String> globs, String value) {
        if (globs.isEmpty()) {
            return;
        }
        out.add(key + " " + (value == null ? "(none)" : value) + (any(globs, value) ? " matches " : " does not match ")
                + String.join("|", globs));
    }

    private static boolean any(List<String> globs, String value) {
        if (globs.isEmpty()) {
            return true;
        }
        if (value == null) {
            return false;
        }
        for (String glob : globs) {
            if (glob(glob).matcher(value).matches()) {
                return true;
            }
        }
        return false;
    }

    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        append(s, "name", names);
        append(s, "driver", drivers);
        append(s, "busPath", busPaths);
        append(s, "mac", macs);
        return s.toString();
    }

    private static void append(StringBuilder s, String key, List<String> globs) {
        if (!globs.isEmpty()) {
            if (!s.isEmpty()) {
                s.append(" and ");
            }
            s.append(key).append(' ').append(globs.size() == 1 ? globs.getFirst() : String.join("|", globs));
        }
    }
}
