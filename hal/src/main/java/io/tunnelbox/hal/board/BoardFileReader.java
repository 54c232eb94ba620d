package io.tunnelbox.hal.board;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a board file (format 1, JSON; board-configs/README.md). Every error names
 * the file, line, column and field, so a person adding a board fixes all of them in one go.
 * Jackson's tree does not keep positions, so a first streaming pass records where each field
 * starts; the same pass rejects duplicate keys.
 */
public final class BoardFileReader {
    public static final int FORMAT = 1;
    static final int MAX_GPIO_LINE = 511;
    static final Set<Integer> BAUD_RATES = Set.of(9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600,
            1000000, 1500000, 2000000, 3000000);
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Pattern ROLE = Pattern.compile("wan|lan|lan[2-9]|mgmt");
    private static final Pattern CHIP = Pattern.compile("gpiochip[0-9]{1,3}");
    private static final Pattern SYSFS_LED = Pattern.compile("[^/\\s]+");
    private static final Set<String> DOC_KEYS = Set.of("note", "uncertain");
    private static final Set<String> TOP_KEYS = Set.of("format", "id", "name", "models", "sources", "notes", "nics",
            "leds", "console", "watchdog", "resetButton", "revisions");
    private static final Set<String> NIC_KEYS = Set.of("role", "match", "note", "uncertain");
    private static final Set<String> MATCH_KEYS = Set.of("name", "driver", "busPath", "mac");
    private static final Set<String> LED_KEYS = Set.of("function", "gpio", "sysfs", "memory", "activeLow", "color",
            "addOn", "note", "uncertain");
    private static final Set<String> GPIO_KEYS = Set.of("chip", "line");
    private static final Set<String> CONSOLE_KEYS = Set.of("device", "baud", "note", "uncertain");
    private static final Set<String> WATCHDOG_KEYS = Set.of("device", "timeoutSeconds", "note", "uncertain");
    private static final Set<String> REVISION_KEYS = Set.of("id", "name", "models", "deviceTreeNode", "resetButton",
            "note", "uncertain");
    /** A path below /proc/device-tree: node names separated by '/', no "." or ".." parts. */
    private static final Pattern DT_NODE = Pattern.compile("[A-Za-z0-9,._+@-]+(/[A-Za-z0-9,._+@-]+)*");
    private static final Set<String> BUTTON_KEYS = Set.of("gpio", "activeLow", "pull", "input", "key", "note",
            "uncertain");
    /** Key codes from linux/input-event-codes.h that a board's button may send. */
    static final Map<String, Integer> KEY_CODES = Map.of("KEY_RESTART", 0x198, "KEY_POWER", 116, "BTN_0", 0x100,
            "BTN_1", 0x101);

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

    private final String file;
    private final Map<String, int[]> where = new HashMap<>();
    private final List<BoardFileError> errors = new ArrayList<>();

    private BoardFileReader(String file) {
        this.file = file;
    }

    /** Reads {@code text}; {@code file} is the name errors show and, minus ".json", the board id it must carry. */
    public static BoardFileResult read(String file, String text) {
        return new BoardFileReader(file).run(text);
    }

    private BoardFileResult run(String text) {
        JsonNode root;
        try {
            try (JsonParser p = JSON.createParser(text)) {
                if (p.nextToken() == null) {
                    return fail(1, 1, "", "the file is empty");
                }
                locate(p, "");
                if (p.nextToken() != null) {
                    JsonLocation l = p.currentTokenLocation();
                    return fail(l.getLineNr(), l.getColumnNr(), "", "unexpected content after the top-level object");
                }
            }
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            return fail(l == null ? 1 : l.getLineNr(), l == null ? 1 : l.getColumnNr(), "",
                    "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return fail(1, 1, "", "cannot be read: " + e.getMessage());
        }
        BoardConfig board = board(root);
        return new BoardFileResult(file, errors.isEmpty() ? Optional.ofNullable(board) : Optional.empty(), errors);
    }

    private BoardFileResult fail(int line, int column, String path, String message) {
        errors.add(new BoardFileError(file, line, column, path, message));
        return new BoardFileResult(file, Optional.empty(), errors);
    }

    private void locate(JsonParser p, String path) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            where.putIfAbsent(path, position(p));
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String child = path.isEmpty() ? p.currentName() : path + "." + p.currentName();
                where.put(child, position(p));
                p.nextToken();
                locate(p, child);
            }
        } else if (t == JsonToken.START_ARRAY) {
            where.putIfAbsent(path, position(p));
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                String child = path + "[" + i++ + "]";
                where.put(child, position(p));
                locate(p, child);
            }
        }
    }

    private static int[] position(JsonParser p) {
        JsonLocation l = p.currentTokenLocation();
        return new int[] {l.getLineNr(), l.getColumnNr()};
    }

    private void error(String path, String message) {
        // A missing field has no position of its own: point at the nearest enclosing one.
        String p = path;
        int[] at = where.get(p);
        while (at == null && !p.isEmpty()) {
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
            at = where.get(p);
        }
        if (at == null) {
            at = new int[] {1, 1};
        }
        errors.add(new BoardFileError(file, at[0], at[1], path, message));
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private boolean object(JsonNode node, String path, Set<String> keys) {
        if (node == null || !node.isObject()) {
            error(path, "must be an object");
            return false;
        }
        for (var it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!keys.contains(key)) {
                error(join(path, key), "unknown key (expected one of: " + String.join(", ", sorted(keys)) + ")");
            } else if (DOC_KEYS.contains(key) && !node.get(key).isTextual()) {
                error(join(path, key), "must be a string");
            }
        }
        return true;
    }

    private static List<String> sorted(Set<String> keys) {
        return keys.stream().sorted().toList();
    }

    private String string(JsonNode parent, String path, String key, boolean required) {
        JsonNode n = parent.get(key);
        String p = join(path, key);
        if (n == null || n.isNull()) {
            if (required) {
                error(p, "missing (required)");
            }
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            error(p, "must be a non-empty string, got " + n);
            return null;
        }
        return n.asText();
    }

    private boolean bool(JsonNode parent, String path, String key) {
        JsonNode n = parent.get(key);
        if (n == null) {
            return false;
        }
        if (!n.isBoolean()) {
            error(join(path, key), "must be true or false, got " + n);
            return false;
        }
        return n.asBoolean();
    }

    private Integer integer(JsonNode parent, String path, String key, int min, int max, boolean required) {
        JsonNode n = parent.get(key);
        String p = join(path, key);
        if (n == null || n.isNull()) {
            if (required) {
                error(p, "missing (required)");
            }
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
            error(p, "must be an integer from " + min + " to " + max + ", got " + n);
            return null;
        }
        return n.asInt();
    }

    /** A string or an array of strings. */
    private List<String> strings(JsonNode parent, String path, String key, boolean required, boolean nonEmpty) {
        JsonNode n = parent.get(key);
        String p = join(path, key);
        if (n == null) {
            if (required) {
                error(p, "missing (required)");
            }
            return List.of();
        }
        if (n.isTextual() && !n.asText().isBlank()) {
            return List.of(n.asText());
        }
        if (!n.isArray()) {
            error(p, "must be a string or an array of strings, got " + n);
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (!e.isTextual() || e.asText().isBlank()) {
                error(p + "[" + i + "]", "must be a non-empty string, got " + e);
            } else {
                out.add(e.asText());
            }
        }
        if (nonEmpty && n.isEmpty()) {
            error(p, "must not be empty");
        }
        return out;
    }

    private BoardConfig board(JsonNode root) {
        if (!object(root, "", TOP_KEYS)) {
            return null;
        }
        Integer format = integer(root, "", "format", 0, Integer.MAX_VALUE, true);
        if (format != null && format != FORMAT) {
            error("format", "unsupported format " + format + " (this firmware reads format " + FORMAT + ")");
            return null;
        }
        String id = string(root, "", "id", true);
        if (id != null && !ID.matcher(id).matches()) {
            error("id", "must be lower-case letters, digits and '-', got \"" + id + "\"");
        } else if (id != null && file.endsWith(".json")) {
            String base = file.substring(file.lastIndexOf('/') + 1, file.length() - ".json".length());
            if (!base.equals(id)) {
                error("id", "\"" + id + "\" does not match the file name (expected \"" + base + "\")");
            }
        }
        String name = string(root, "", "name", true);
        List<String> models = strings(root, "", "models", true, false);
        List<String> sources = strings(root, "", "sources", true, true);
        strings(root, "", "notes", false, false);
        // A board with no model prefixes is never detected, only chosen by override: the sim, the
        // namespace lab, a developer's PC. Only those may have in-memory LEDs; hardware has real ones.
        boolean overrideOnly = models.isEmpty();
        List<NicRoleSpec> nics = nics(root);
        Map<GpioLine, String> lineOwner = new HashMap<>();
        List<LedSpec> leds = leds(root, overrideOnly, lineOwner);
        ConsoleSpec console = console(root);
        Optional<WatchdogSpec> watchdog = watchdog(root);
        Optional<ButtonSpec> button = button(root.get("resetButton"), "resetButton", lineOwner);
        List<BoardRevision> revisions = revisions(root, models, lineOwner);
        if (!errors.isEmpty()) {
            return null;
        }
        return new BoardConfig(format, id, name, models, sources, nics, leds, console, watchdog, button, revisions,
                Optional.empty());
    }

    private List<NicRoleSpec> nics(JsonNode root) {
        JsonNode arr = root.get("nics");
        if (arr == null || !arr.isArray()) {
            error("nics", arr == null ? "missing (required): the NICs with roles \"wan\" and \"lan\""
                    : "must be an array");
            return List.of();
        }
        List<NicRoleSpec> out = new ArrayList<>();
        Map<String, String> roleAt = new HashMap<>();
        for (int i = 0; i < arr.size(); i++) {
            String p = "nics[" + i + "]";
            JsonNode n = arr.get(i);
            if (!object(n, p, NIC_KEYS)) {
                continue;
            }
            String role = string(n, p, "role", true);
            if (role != null && !ROLE.matcher(role).matches()) {
                error(p + ".role", "must be wan, lan, lan2..lan9 or mgmt, got \"" + role + "\"");
                role = null;
            } else if (role != null && roleAt.containsKey(role)) {
                int[] first = where.get(roleAt.get(role) + ".role");
                error(p + ".role", "duplicate role \"" + role + "\" (already given at line " + first[0] + ")");
                role = null;
            } else if (role != null) {
                roleAt.put(role, p);
            }
            NicMatch match = match(n.get("match"), p + ".match");
            if (role != null && match != null) {
                out.add(new NicRoleSpec(role, match));
            }
        }
        for (String required : List.of(NicRoleSpec.WAN, NicRoleSpec.LAN)) {
            if (!roleAt.containsKey(required)) {
                error("nics", "no NIC has role \"" + required + "\" (a box needs a WAN and a LAN port)");
            }
        }
        return out;
    }

    private NicMatch match(JsonNode m, String p) {
        if (m == null) {
            error(p, "missing (required): give name, driver, busPath and/or mac");
            return null;
        }
        if (!object(m, p, MATCH_KEYS)) {
            return null;
        }
        List<String> names = strings(m, p, "name", false, true);
        List<String> drivers = strings(m, p, "driver", false, true);
        List<String> busPaths = strings(m, p, "busPath", false, true);
        List<String> macs = strings(m, p, "mac", false, true);
        if (m.isEmpty()) {
            error(p, "must give at least one of name, driver, busPath, mac");
            return null;
        }
        return new NicMatch(names, drivers, busPaths, macs);
    }

    private List<LedSpec> leds(JsonNode root, boolean overrideOnly, Map<GpioLine, String> lineOwner) {
        JsonNode arr = root.get("leds");
        if (arr == null || !arr.isArray()) {
            error("leds", arr == null ? "missing (required): at least the \"status\" LED" : "must be an array");
            return List.of();
        }
        List<LedSpec> out = new ArrayList<>();
        Map<LedFunction, String> functionAt = new HashMap<>();
        for (int i = 0; i < arr.size(); i++) {
            String p = "leds[" + i + "]";
            JsonNode n = arr.get(i);
            if (!object(n, p, LED_KEYS)) {
                continue;
            }
            LedFunction function = null;
            String f = string(n, p, "function", true);
            if (f != null) {
                for (LedFunction candidate : LedFunction.values()) {
                    if (candidate.key().equals(f)) {
                        function = candidate;
                    }
                }
                if (function == null) {
                    error(p + ".function", "must be status, wan, tunnels or activity, got \"" + f + "\"");
                } else if (functionAt.containsKey(function)) {
                    int[] first = where.get(functionAt.get(function) + ".function");
                    error(p + ".function", "duplicate LED function \"" + f + "\" (already given at line "
                            + first[0] + ")");
                    function = null;
                } else {
                    functionAt.put(function, p);
                }
            }
            int kinds = (n.has("gpio") ? 1 : 0) + (n.has("sysfs") ? 1 : 0) + (n.has("memory") ? 1 : 0);
            if (kinds != 1) {
                error(p, "must have exactly one of gpio, sysfs, memory (has " + kinds + ")");
                continue;
            }
            GpioLine gpio = n.has("gpio") ? gpio(n.get("gpio"), p + ".gpio", lineOwner) : null;
            String sysfs = string(n, p, "sysfs", false);
            if (sysfs != null && !SYSFS_LED.matcher(sysfs).matches()) {
                error(p + ".sysfs", "must be a name under /sys/class/leds (no '/' or spaces), got \"" + sysfs + "\"");
            }
            String memory = string(n, p, "memory", false);
            if (memory != null && !overrideOnly) {
                error(p + ".memory", "in-memory LEDs are only for boards chosen by override (empty \"models\"); "
                        + "a detected board drives real LEDs");
            }
            boolean activeLow = bool(n, p, "activeLow");
            boolean addOn = bool(n, p, "addOn");
            string(n, p, "color", false);
            if (function != null) {
                out.add(new LedSpec(function, gpio, sysfs, memory, activeLow, addOn));
            }
        }
        if (!functionAt.containsKey(LedFunction.STATUS)) {
            error("leds", "no LED has function \"status\" (every box needs one)");
        }
        return out;
    }

    private GpioLine gpio(JsonNode g, String p, Map<GpioLine, String> lineOwner) {
        if (!object(g, p, GPIO_KEYS)) {
            return null;
        }
        String chip = string(g, p, "chip", true);
        if (chip != null && !CHIP.matcher(chip).matches()) {
            error(p + ".chip", "must be a gpiod chip name like \"gpiochip0\", got \"" + chip + "\"");
            chip = null;
        }
        Integer line = integer(g, p, "line", 0, MAX_GPIO_LINE, true);
        if (chip == null || line == null) {
            return null;
        }
        GpioLine gl = new GpioLine(chip, line);
        for (Map.Entry<GpioLine, String> e : lineOwner.entrySet()) {
            if (!e.getKey().chip().equals(chip)) {
                // Pi4J 3.0.3 keeps one gpiod context per process, bound to one chip.
                error(p + ".chip", "\"" + chip + "\" differs from \"" + e.getKey().chip() + "\" used by "
                        + e.getValue().replace(".gpio", "") + ": all GPIO lines of a board must be on one chip "
                        + "(Pi4J drives a single gpiod chip per process); use a kernel LED (sysfs) or input device instead");
                return null;
            }
        }
        String owner = lineOwner.putIfAbsent(gl, p);
        if (owner != null) {
            error(p, "GPIO line " + gl + " is already used by " + owner.replace(".gpio", "") + " (line "
                    + where.get(owner)[0] + ")");
        }
        return gl;
    }

    private ConsoleSpec console(JsonNode root) {
        JsonNode c = root.get("console");
        if (c == null) {
            error("console", "missing (required): the serial console device and speed");
            return null;
        }
        if (!object(c, "console", CONSOLE_KEYS)) {
            return null;
        }
        String device = string(c, "console", "device", true);
        if (device == null) {
            return null;
        }
        if ("stdio".equals(device)) {
            return new ConsoleSpec(device, 0);
        }
        if (!device.startsWith("/dev/")) {
            error("console.device", "must be a path under /dev/ (or \"stdio\" for the process's own terminal), got \"" + device + "\"");
        }
        Integer baud = integer(c, "console", "baud", 1, Integer.MAX_VALUE, true);
        if (baud != null && !BAUD_RATES.contains(baud)) {
            error("console.baud", "not a standard serial speed: " + baud + " (e.g. 115200 or 1500000)");
        }
        return new ConsoleSpec(device, baud == null ? 0 : baud);
    }

    private Optional<WatchdogSpec> watchdog(JsonNode root) {
        JsonNode w = root.get("watchdog");
        if (w == null) {
            return Optional.empty();
        }
        if (!object(w, "watchdog", WATCHDOG_KEYS)) {
            return Optional.empty();
        }
        String device = string(w, "watchdog", "device", true);
        if (device != null && !device.startsWith("/dev/")) {
            error("watchdog.device", "must be a path under /dev/, got \"" + device + "\"");
        }
        Integer timeout = integer(w, "watchdog", "timeoutSeconds", 2, 600, false);
        return Optional.of(new WatchdogSpec(device, timeout == null ? 15 : timeout));
    }

    private Optional<ButtonSpec> button(JsonNode b, String p, Map<GpioLine, String> lineOwner) {
        if (b == null) {
            return Optional.empty();
        }
        if (!object(b, p, BUTTON_KEYS)) {
            return Optional.empty();
        }
        if (b.has("gpio") == b.has("input")) {
            error(p, "must have exactly one of gpio (a line through Pi4J) or input (a kernel input "
                    + "device, e.g. a gpio-keys button)");
            return Optional.empty();
        }
        if (b.has("input")) {
            String device = string(b, p, "input", true);
            if (device != null && !device.startsWith("/dev/input/")) {
                error(p + ".input", "must be a path under /dev/input/, got \"" + device + "\"");
            }
            Integer code = null;
            JsonNode key = b.get("key");
            if (key == null) {
                error(p + ".key", "missing (required with input): the key code the button sends");
            } else if (key.isTextual() && KEY_CODES.containsKey(key.asText())) {
                code = KEY_CODES.get(key.asText());
            } else if (key.isIntegralNumber() && key.asInt() > 0 && key.asInt() < 0x300) {
                code = key.asInt();
            } else {
                error(p + ".key", "must be one of " + KEY_CODES.keySet().stream().sorted().toList()
                        + " or a key code from 1 to 767, got " + key);
            }
            for (String k : List.of("activeLow", "pull")) {
                if (b.has(k)) {
                    error(p + "." + k, "applies to gpio buttons only (the kernel handles an input device's polarity)");
                }
            }
            return Optional.of(new ButtonSpec(null, false, "none", device, code == null ? 0 : code));
        }
        if (b.has("key")) {
            error(p + ".key", "applies to input buttons only");
        }
        GpioLine gpio = gpio(b.get("gpio"), p + ".gpio", lineOwner);
        boolean activeLow = bool(b, p, "activeLow");
        String pull = string(b, p, "pull", false);
        if (pull == null) {
            pull = "none";
        } else if (!Set.of("up", "down", "none").contains(pull)) {
            error(p + ".pull", "must be up, down or none, got \"" + pull + "\"");
        }
        return Optional.of(new ButtonSpec(gpio, activeLow, pull, null, 0));
    }

    private List<BoardRevision> revisions(JsonNode root, List<String> boardModels, Map<GpioLine, String> lineOwner) {
        JsonNode arr = root.get("revisions");
        if (arr == null) {
            return List.of();
        }
        if (!arr.isArray()) {
            error("revisions", "must be an array");
            return List.of();
        }
        List<BoardRevision> out = new ArrayList<>();
        Map<String, String> idAt = new HashMap<>();
        for (int i = 0; i < arr.size(); i++) {
            String p = "revisions[" + i + "]";
            JsonNode r = arr.get(i);
            if (!object(r, p, REVISION_KEYS)) {
                continue;
            }
            String id = string(r, p, "id", true);
            if (id != null && !ID.matcher(id).matches()) {
                error(p + ".id", "must be lower-case letters, digits and '-', got \"" + id + "\"");
                id = null;
            } else if (id != null && idAt.containsKey(id)) {
                error(p + ".id", "duplicate revision \"" + id + "\" (already given at line "
                        + where.get(idAt.get(id) + ".id")[0] + ")");
                id = null;
            } else if (id != null) {
                idAt.put(id, p);
            }
            String name = string(r, p, "name", true);
            List<String> models = strings(r, p, "models", true, false);
            for (int m = 0; m < models.size(); m++) {
                String model = models.get(m);
                if (boardModels.stream().noneMatch(model::startsWith)) {
                    error(p + ".models[" + m + "]", "\"" + model + "\" does not start with any of the board's models "
                            + boardModels + ", so this board would never be chosen for it");
                } else if (boardModels.contains(model)) {
                    error(p + ".models[" + m + "]", "\"" + model + "\" is the board's own model: give a longer prefix "
                            + "that only this revision has, or an empty list if the model string cannot tell them apart");
                }
            }
            String node = string(r, p, "deviceTreeNode", false);
            if (node != null && !DT_NODE.matcher(node).matches()) {
                error(p + ".deviceTreeNode", "must be a node path below /proc/device-tree such as "
                        + "\"gpio-keys/button-reset\" (no leading '/', no '..'), got \"" + node + "\"");
                node = null;
            } else if (node != null && (node.equals("..") || node.startsWith("../") || node.contains("/../")
                    || node.endsWith("/..") || node.equals(".") || node.startsWith("./") || node.contains("/./"))) {
                error(p + ".deviceTreeNode", "must not contain \".\" or \"..\" parts, got \"" + node + "\"");
                node = null;
            }
            // The revision's button replaces the base board's, so it may take the base button's line but
            // none of the LEDs'.
            Map<GpioLine, String> owners = new HashMap<>(lineOwner);
            owners.values().removeIf(owner -> owner.equals("resetButton.gpio"));
            Optional<ButtonSpec> button = button(r.get("resetButton"), p + ".resetButton", owners);
            if (id != null && name != null) {
                out.add(new BoardRevision(id, name, models, Optional.ofNullable(node), button));
            }
        }
        return out;
    }
}
