package io.tunnelbox.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CommandTreeTest {
    private final List<String> ran = new ArrayList<>();
    private CommandTree tree;

    @BeforeEach
    void build() {
        tree = new CommandTree();
        tree.add("show", "show the box's state");
        for (String w : List.of("version", "interfaces", "tunnels", "segments", "config")) {
            tree.add("show " + w, "show " + w).runs(args -> ran.add("show " + w + Words.texts(args)));
        }
        tree.add("show log", "recent log lines").runs(args -> ran.add("show log" + Words.texts(args)))
                .takes("[lines]", "how many lines", null);
        tree.add("configure", "edit the configuration").runs(args -> ran.add("configure"));
        tree.add("commit", "store and apply").runs(args -> ran.add("commit" + Words.texts(args)))
                .takes("[comment...]", "a comment for the history", null);
        tree.add("commit confirmed", "commit, roll back unless confirmed").runs(args -> ran.add("confirmed" + Words.texts(args)))
                .takes("<minutes>", "minutes before the rollback", null);
        tree.add("compare", "diff").runs(args -> ran.add("compare"));
        tree.add("set", "set a value").runs(args -> ran.add("set" + Words.texts(args)))
                .takes("<path...> <value>", "where and what", argsSoFar -> argsSoFar.isEmpty()
                        ? List.of(new CommandTree.Choice("tunnels", "GRE tunnels"), new CommandTree.Choice("system", "who the box is"))
                        : List.of(new CommandTree.Choice("remote", "far end")));
    }

    private void run(String line) throws CommandException {
        CommandTree.Match m = tree.resolve(Words.split(line));
        m.node().action.run(m.args());
    }

    private String error(String line) {
        return assertThrows(CommandException.class, () -> run(line)).getMessage();
    }

    @Test
    void shouldRunAWholeCommand() throws Exception {
        run("show tunnels");
        assertEquals(List.of("show tunnels[]"), ran);
    }

    @Test
    void shouldAcceptUniquePrefixes() throws Exception {
        run("sh tun");
        run("conf");
        assertEquals(List.of("show tunnels[]", "configure"), ran);
    }

    @Test
    void shouldRefuseAnAmbiguousPrefixNamingTheCandidates() {
        assertEquals("ambiguous command \"co\": could be configure, commit, compare", error("co"));
        assertTrue(ran.isEmpty());
    }

    @Test
    void shouldSuggestTheClosestCommandForATypo() {
        assertEquals("unknown command \"shwo\"; did you mean \"show\"?", error("shwo tunnels"));
        assertEquals("unknown command \"show tunels\"; did you mean \"show tunnels\"?", error("show tunels"));
        assertEquals("unknown command \"comit\"; did you mean \"commit\"?", error("comit"));
        assertTrue(ran.isEmpty());
    }

    @Test
    void shouldPointToHelpWhenNothingIsClose() {
        assertEquals("unknown command \"frobnicate\"; type ? for the list of commands", error("frobnicate"));
        assertEquals("unknown command \"show zzzzzz\"; \"show\" takes one of version, interfaces, tunnels, segments, config, log",
                error("show zzzzzz"));
    }

    @Test
    void shouldSayWhatIsMissingFromAnIncompleteCommand() {
        assertEquals("incomplete command \"show\": add one of version, interfaces, tunnels, segments, config, log", error("show"));
    }

    @Test
    void shouldRefuseArgumentsACommandDoesNotTake() {
        assertEquals("unexpected \"now\" after \"show version\"", error("show version now"));
    }

    @Test
    void shouldPassFreeArgumentsWithQuotes() throws Exception {
        run("commit \"new tunnel to Lyon\"");
        run("set tunnels gre1 remote 203.0.113.1");
        assertEquals(List.of("commit[new tunnel to Lyon]", "set[tunnels, gre1, remote, 203.0.113.1]"), ran);
    }

    @Test
    void shouldTakeOnlyWholeKeywordsWhereArgumentsMayFollow() throws Exception {
        run("commit confirmed 5");
        run("commit conf");
        assertEquals(List.of("confirmed[5]", "commit[conf]"), ran);
    }

    @Test
    void shouldListTheNextWordsWithTheirHelp() {
        CommandTree.Help h = tree.help("show ");
        assertEquals(List.of("version", "interfaces", "tunnels", "segments", "config", "log"),
                h.choices().stream().map(CommandTree.Choice::word).toList());
        assertEquals("show tunnels", h.choices().get(2).help());
        assertFalse(h.canRun());
    }

    @Test
    void shouldCompleteAPartlyTypedWord() {
        assertEquals(List.of("segments"), tree.help("show se").choices().stream().map(CommandTree.Choice::word).toList());
        assertEquals(List.of("configure", "commit", "compare"),
                tree.help("co").choices().stream().map(CommandTree.Choice::word).toList());
        assertEquals(List.of("configure", "commit", "compare"),
                tree.help("  co").choices().stream().map(CommandTree.Choice::word).toList());
    }

    @Test
    void shouldOfferArgumentChoicesFromTheCommandsCompleter() {
        assertEquals(List.of("tunnels"), tree.help("set tu").choices().stream().map(CommandTree.Choice::word).toList());
        assertEquals(List.of("remote"), tree.help("set tunnels gre1 ").choices().stream().map(CommandTree.Choice::word).toList());
        CommandTree.Help h = tree.help("set ");
        assertEquals("<path...> <value>", h.synopsis());
    }

    @Test
    void shouldSayACommandCanRunAsTyped() {
        CommandTree.Help h = tree.help("commit ");
        assertTrue(h.canRun());
        assertEquals("[comment...]", h.synopsis());
        assertEquals(List.of("confirmed"), h.choices().stream().map(CommandTree.Choice::word).toList());
        assertNull(h.error());
    }

    @Test
    void shouldExplainWhenHelpHasNothingToOffer() {
        assertEquals("no command \"show nothing\"", tree.help("show nothing ").error());
    }
}
