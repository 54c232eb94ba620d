package io.tunnelbox.hal.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Broken board files: each error names the file, line, column and field. */
class BoardFileReaderTest {
    /** A valid file, one field per line so that tests can point at lines. */
    static final String GOOD = """
            {
              "format": 1,
              "id": "test-board",
              "name": "Test board",
              "models": ["Test Board Rev 1"],
              "sources": ["a test"],
              "nics": [
                { "role": "wan", "match": { "name": "eth0" } },
                { "role": "lan", "match": { "driver": ["r8152", "r8169"], "busPath": "*usb*" } }
              ],
              "leds": [
                { "function": "status", "sysfs": "ACT" },
                { "function": "wan", "gpio": { "chip": "gpiochip0", "line": 17 } }
              ],
              "console": { "device": "/dev/ttyS0", "baud": 115200 },
              "watchdog": { "device": "/dev/watchdog" },
              "resetButton": { "gpio": { "chip": "gpiochip0", "line": 26 }, "activeLow": true, "pull": "up" }
            }
            """;

    private static List<String> errors(String text) {
        BoardFileResult r = BoardFileReader.read("test-board.json", text);
        assertFalse(r.ok());
        assertTrue(r.board().isEmpty());
        return r.errors().stream().map(BoardFileError::toString).toList();
    }

    @Test
    void shouldAcceptAValidFile() {
        BoardFileResult r = BoardFileReader.read("test-board.json", GOOD);
        assertTrue(r.ok(), r.report());
        BoardConfig b = r.board().orElseThrow();
        assertEquals(new GpioLine("gpiochip0", 17), b.led(LedFunction.WAN).orElseThrow().gpio());
        assertEquals(15, b.watchdog().orElseThrow().timeoutSeconds());
        assertEquals("up", b.resetButton().orElseThrow().pull());
        assertEquals(List.of("r8152", "r8169"), b.nics().get(1).match().drivers());
    }

    @Test
    void shouldNameAnUnknownKeyWithItsLineAndColumn() {
        String text = GOOD.replace("{ \"function\": \"status\", \"sysfs\": \"ACT\" }",
                "{ \"function\": \"status\", \"sysfs\": \"ACT\", \"colour\": \"green\" }");
        assertEquals(List.of("test-board.json:12:45: leds[0].colour: unknown key (expected one of: activeLow, addOn, "
                + "color, function, gpio, memory, note, sysfs, uncertain)"), errors(text));
    }

    @Test
    void shouldRejectAnUnknownTopLevelKey() {
        String text = GOOD.replace("\"name\": \"Test board\",", "\"name\": \"Test board\", \"nic\": [],");
        assertEquals(List.of("test-board.json:4:25: nic: unknown key (expected one of: console, format, id, leds, "
                + "models, name, nics, notes, resetButton, revisions, sources, watchdog)"), errors(text));
    }

    @Test
    void shouldRejectADuplicateRolePointingAtTheFirstOne() {
        String text = GOOD.replace("{ \"role\": \"lan\", \"match\": { \"driver\"", "{ \"role\": \"wan\", \"match\": { \"driver\"");
        assertEquals(List.of(
                "test-board.json:9:7: nics[1].role: duplicate role \"wan\" (already given at line 8)",
                "test-board.json:7:3: nics: no NIC has role \"lan\" (a box needs a WAN and a LAN port)"), errors(text));
    }

    @Test
    void shouldRequireAWanRole() {
        String text = GOOD.replace("{ \"role\": \"wan\", \"match\": { \"name\": \"eth0\" } },\n", "");
        assertEquals(List.of("test-board.json:7:3: nics: no NIC has role \"wan\" (a box needs a WAN and a LAN port)"),
                errors(text));
    }

    @Test
    void shouldRejectAGpioLineThatIsNotANumber() {
        String text = GOOD.replace("\"line\": 17", "\"line\": \"A1\"");
        assertEquals(List.of("test-board.json:13:57: leds[1].gpio.line: must be an integer from 0 to 511, got \"A1\""),
                errors(text));
    }

    @Test
    void shouldRejectANegativeOrHugeGpioLine() {
        assertEquals(List.of("test-board.json:13:57: leds[1].gpio.line: must be an integer from 0 to 511, got -3"),
                errors(GOOD.replace("\"line\": 17", "\"line\": -3")));
        assertEquals(List.of("test-board.json:13:57: leds[1].gpio.line: must be an integer from 0 to 511, got 4096"),
                errors(GOOD.replace("\"line\": 17", "\"line\": 4096")));
    }

    @Test
    void shouldRejectABadChipName() {
        assertEquals(List.of("test-board.json:13:36: leds[1].gpio.chip: must be a gpiod chip name like \"gpiochip0\", "
                + "got \"/dev/gpiochip0\""), errors(GOOD.replace("\"chip\": \"gpiochip0\", \"line\": 17",
                "\"chip\": \"/dev/gpiochip0\", \"line\": 17")));
    }

    @Test
    void shouldRejectAGpioLineUsedTwice() {
        String text = GOOD.replace("\"line\": 26", "\"line\": 17");
        assertEquals(List.of("test-board.json:17:20: resetButton.gpio: GPIO line gpiochip0/17 is already used by "
                + "leds[1] (line 13)"), errors(text));
    }

    @Test
    void shouldRejectAMissingLanMatch() {
        String text = GOOD.replace("{ \"role\": \"lan\", \"match\": { \"driver\": [\"r8152\", \"r8169\"], \"busPath\": \"*usb*\" } }",
                "{ \"role\": \"lan\", \"match\": { } }");
        assertEquals(List.of("test-board.json:9:22: nics[1].match: must give at least one of name, driver, busPath, mac"),
                errors(text));
    }

    @Test
    void shouldRejectDuplicateJsonKeysWithTheirPosition() {
        String text = GOOD.replace("\"id\": \"test-board\",", "\"id\": \"test-board\", \"id\": \"other\",");
        List<String> e = errors(text);
        assertEquals(1, e.size());
        assertTrue(e.getFirst().startsWith("test-board.json:3:"), e.getFirst());
        assertTrue(e.getFirst().contains("Duplicate field 'id'"), e.getFirst());
    }

    @Test
    void shouldReportASyntaxErrorWithItsPosition() {
        String text = GOOD.replace("\"baud\": 115200", "\"baud\" 115200");
        List<String> e = errors(text);
        assertEquals(1, e.size());
        assertTrue(e.getFirst().startsWith("test-board.json:15:47: not valid JSON: Unexpected character"), e.getFirst());
        assertTrue(e.getFirst().contains("not valid JSON"), e.getFirst());
    }

    @Test
    void shouldRejectAnUnknownFormatVersion() {
        assertEquals(List.of("test-board.json:2:3: format: unsupported format 2 (this firmware reads format 1)"),
                errors(GOOD.replace("\"format\": 1", "\"format\": 2")));
    }

    @Test
    void shouldRequireTheIdToMatchTheFileName() {
        assertEquals(List.of("test-board.json:3:3: id: \"other-board\" does not match the file name (expected \"test-board\")"),
                errors(GOOD.replace("\"id\": \"test-board\"", "\"id\": \"other-board\"")));
    }

    @Test
    void shouldReportEveryErrorAtOnce() {
        String text = GOOD.replace("\"baud\": 115200", "\"baud\": 12345")
                .replace("\"function\": \"wan\"", "\"function\": \"status\"")
                .replace("\"pull\": \"up\"", "\"pull\": \"sideways\"");
        assertEquals(List.of(
                "test-board.json:13:7: leds[1].function: duplicate LED function \"status\" (already given at line 12)",
                "test-board.json:15:40: console.baud: not a standard serial speed: 12345 (e.g. 115200 or 1500000)",
                "test-board.json:17:84: resetButton.pull: must be up, down or none, got \"sideways\""), errors(text));
    }

    @Test
    void shouldRejectAnLedWithTwoSources() {
        String text = GOOD.replace("{ \"function\": \"status\", \"sysfs\": \"ACT\" }",
                "{ \"function\": \"status\", \"sysfs\": \"ACT\", \"gpio\": { \"chip\": \"gpiochip0\", \"line\": 3 } }");
        assertEquals(List.of("test-board.json:12:5: leds[0]: must have exactly one of gpio, sysfs, memory (has 2)"),
                errors(text));
    }

    @Test
    void shouldAllowMemoryLedsOnlyOnBoardsChosenByOverride() {
        String text = GOOD.replace("{ \"function\": \"status\", \"sysfs\": \"ACT\" }",
                "{ \"function\": \"status\", \"memory\": \"status\" }");
        assertEquals(List.of("test-board.json:12:29: leds[0].memory: in-memory LEDs are only for boards chosen by "
                + "override (empty \"models\"); a detected board drives real LEDs"), errors(text));
        BoardFileResult overrideOnly = BoardFileReader.read("test-board.json",
                text.replace("[\"Test Board Rev 1\"]", "[]"));
        assertTrue(overrideOnly.ok(), overrideOnly.report());
    }

    @Test
    void shouldKeepAllGpioLinesOnOneChip() {
        String text = GOOD.replace("{ \"chip\": \"gpiochip0\", \"line\": 26 }", "{ \"chip\": \"gpiochip1\", \"line\": 22 }");
        assertEquals(List.of("test-board.json:17:30: resetButton.gpio.chip: \"gpiochip1\" differs from \"gpiochip0\" "
                + "used by leds[1]: all GPIO lines of a board must be on one chip (Pi4J drives a single gpiod chip "
                + "per process); use a kernel LED (sysfs) or input device instead"), errors(text));
    }

    @Test
    void shouldReadAnInputDeviceButton() {
        String text = GOOD.replace("\"resetButton\": { \"gpio\": { \"chip\": \"gpiochip0\", \"line\": 26 }, \"activeLow\": true, \"pull\": \"up\" }",
                "\"resetButton\": { \"input\": \"/dev/input/event0\", \"key\": \"KEY_RESTART\" }");
        BoardFileResult r = BoardFileReader.read("test-board.json", text);
        assertTrue(r.ok(), r.report());
        assertEquals(new ButtonSpec(null, false, "none", "/dev/input/event0", 408), r.board().orElseThrow().resetButton().orElseThrow());
    }

    @Test
    void shouldRejectAButtonWithBothGpioAndInputOrABadKey() {
        assertEquals(List.of("test-board.json:17:3: resetButton: must have exactly one of gpio (a line through Pi4J) "
                + "or input (a kernel input device, e.g. a gpio-keys button)"),
                errors(GOOD.replace("\"pull\": \"up\" }", "\"pull\": \"up\", \"input\": \"/dev/input/event0\" }")));
        String badKey = GOOD.replace("\"resetButton\": { \"gpio\": { \"chip\": \"gpiochip0\", \"line\": 26 }, \"activeLow\": true, \"pull\": \"up\" }",
                "\"resetButton\": { \"input\": \"/dev/input/event0\", \"key\": \"KEY_RESET\" }");
        assertEquals(List.of("test-board.json:17:50: resetButton.key: must be one of [BTN_0, BTN_1, KEY_POWER, "
                + "KEY_RESTART] or a key code from 1 to 767, got \"KEY_RESET\""), errors(badKey));
    }

    /** GOOD with a revisions array before the last closing brace. */
    private static String withRevisions(String revisions) {
        int end = GOOD.lastIndexOf('}');
        return GOOD.substring(0, end).stripTrailing() + ",\n  \"revisions\": " + revisions + "\n}\n";
    }

    @Test
    void shouldReadRevisionsWithTheirModelsNodeAndButton() {
        BoardFileResult r = BoardFileReader.read("test-board.json", withRevisions("""
                [
                    { "id": "plus", "name": "Test board Plus", "models": ["Test Board Rev 1 Plus"] },
                    { "id": "lts", "name": "Test board LTS", "models": [], "deviceTreeNode": "gpio-keys/button-reset",
                      "resetButton": { "input": "/dev/input/event0", "key": "KEY_RESTART" } }
                  ]"""));
        assertTrue(r.ok(), r.report());
        BoardConfig b = r.board().orElseThrow();
        assertEquals(List.of("plus", "lts"), b.revisions().stream().map(BoardRevision::id).toList());
        BoardRevision lts = b.revisionById("lts").orElseThrow();
        assertFalse(lts.detectable());
        assertEquals("gpio-keys/button-reset", lts.deviceTreeNode().orElseThrow());
        BoardConfig asLts = b.withRevision(lts);
        assertEquals("/dev/input/event0", asLts.resetButton().orElseThrow().inputDevice());
        assertEquals("test-board:lts", asLts.qualifiedId());
        BoardConfig asPlus = b.withRevision(b.revisionById("plus").orElseThrow());
        assertEquals(b.resetButton(), asPlus.resetButton(), "a revision without a button keeps the board's");
        assertEquals("plus", b.revisionForModel("Test Board Rev 1 Plus v2").orElseThrow().id());
        assertTrue(b.revisionForModel("Test Board Rev 1").isEmpty());
    }

    @Test
    void shouldRejectBadRevisions() {
        List<String> e = errors(withRevisions("""
                [
                    { "id": "plus", "name": "Plus", "models": ["Other Board"] },
                    { "id": "plus", "name": "Again", "models": ["Test Board Rev 1"], "colour": "red" },
                    { "id": "Bad Id", "name": "X", "models": [], "deviceTreeNode": "/gpio-keys/../x" },
                    { "name": "No id", "models": [], "resetButton": { "input": "/dev/event0", "key": "KEY_HOME" } }
                  ]"""));
        assertEquals(List.of(
                "test-board.json:19:48: revisions[0].models[0]: \"Other Board\" does not start with any of the board's "
                        + "models [Test Board Rev 1], so this board would never be chosen for it",
                "test-board.json:20:70: revisions[1].colour: unknown key (expected one of: deviceTreeNode, id, models, "
                        + "name, note, resetButton, uncertain)",
                "test-board.json:20:7: revisions[1].id: duplicate revision \"plus\" (already given at line 19)",
                "test-board.json:20:49: revisions[1].models[0]: \"Test Board Rev 1\" is the board's own model: give a "
                        + "longer prefix that only this revision has, or an empty list if the model string cannot tell "
                        + "them apart",
                "test-board.json:21:7: revisions[2].id: must be lower-case letters, digits and '-', got \"Bad Id\"",
                "test-board.json:21:50: revisions[2].deviceTreeNode: must be a node path below /proc/device-tree such as "
                        + "\"gpio-keys/button-reset\" (no leading '/', no '..'), got \"/gpio-keys/../x\"",
                "test-board.json:22:5: revisions[3].id: missing (required)",
                "test-board.json:22:55: revisions[3].resetButton.input: must be a path under /dev/input/, got \"/dev/event0\"",
                "test-board.json:22:79: revisions[3].resetButton.key: must be one of [BTN_0, BTN_1, KEY_POWER, KEY_RESTART] "
                        + "or a key code from 1 to 767, got \"KEY_HOME\""), e);
    }

    @Test
    void shouldRejectRevisionsThatAreNotAnArray() {
        assertEquals(List.of("test-board.json:18:3: revisions: must be an array"),
                errors(withRevisions("{ \"id\": \"lts\" }")));
    }
}
