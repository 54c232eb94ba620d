package io.tunnelbox.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunnelbox.config.CommitResult;
import io.tunnelbox.config.ConfigError;
import io.tunnelbox.config.ConfigService;
import io.tunnelbox.config.PasswordHash;
import io.tunnelbox.management.FrontEnds;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.tinylog.Logger;

/**
 * One login on the console, over any terminal: first-boot admin set-up or login, then commands
 * until {@code logout} or the line goes away. Two modes, as on network gear: operational
 * ({@code show}, {@code clear}, {@code reboot}) and {@code configure}, which edits a candidate copy
 * of the configuration that only {@code commit} stores and applies.
 */
public final class ConsoleSession {
    private static final Pattern ADMIN_NAME = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");
    private static final String AUTHOR_PREFIX = "console:";
    /** Commands of other network gear that would otherwise get a misleading did-you-mean. */
    private static final java.util.Map<String, String> FOREIGN_WORDS = java.util.Map.of(
            "edit", "there is no edit: set and delete take the whole path, e.g. set tunnels gre1 ttl 64",
            "top", "there is no hierarchy to leave: set and delete take the whole path",
            "up", "there is no hierarchy to leave: set and delete take the whole path",
            "save", "commit stores the configuration; there is nothing else to save",
            "write", "commit stores the configuration; there is nothing else to save",
            "end", "exit leaves configure mode",
            "quit", "exit leaves configure mode, logout ends the session");

    private final ConsoleContext ctx;
    private final ConfigService config;
    private final PrintWriter out;
    private final LineReader reader;
    private final LineReader secretReader;
    private final ShowCommands show;
    private final CommandTree operational = new CommandTree();
    private final CommandTree configure = new CommandTree();
    /** Help and completion apply to command lines only, never to a login name or a password. */
    private boolean readingCommand;
    private boolean inConfigure;
    private boolean loggedOut;
    /** Set by {@link #expire()} from the idle guard's thread. */
    private volatile boolean expired;
    private volatile boolean active;
    /** The longest line a prompt takes: a command, a value, a name, a password. */
    static final int MAX_LINE = 1024;
    private volatile boolean lineTooLong;
    private ObjectNode candidate;
    /** The running version the candidate was made from: a commit over a newer one asks first. */
    private int candidateBase;
    /** Set when a commit was refused once because the running version moved under the candidate. */
    private boolean baseWarned;
    private String user;
    private final Terminal terminal;
    private final Pager pager;
    private final NetworkCommands network;
    /** Lines of the running command, held for the pipes and the pager; null when printing directly. */
    private List<String> captured;
    /** Removes this session's rollback announcements when it ends. */
    private Runnable stopRollbackNotices = () -> { };
    /** Told of every line read (the stdio console's idle guard watches it). */
    private volatile Runnable activity = () -> { };

    public ConsoleSession(ConsoleContext ctx, Terminal terminal) {
        this.ctx = ctx;
        this.config = ctx.config();
        this.out = terminal.writer();
        this.terminal = terminal;
        this.pager = new Pager(terminal, out, terminal.getHeight() > 0 ? terminal.getHeight() : 24);
        this.network = new NetworkCommands(ctx.probes(), terminal, out);
        this.show = new ShowCommands(ctx.device(), config, ctx.log());
        this.reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("tunnelbox")
                .completer((r, line, candidates) -> complete(line.line().substring(0, line.cursor()), candidates))
                .variable(LineReader.HISTORY_SIZE, 200)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .build();
        this.secretReader = LineReaderBuilder.builder()
                .terminal(terminal)
                .variable(LineReader.DISABLE_HISTORY, true)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .build();
        capLines(reader);
        capLines(secretReader);
        reader.getWidgets().put("tunnelbox-help", this::helpWidget);
        reader.getKeyMaps().get(LineReader.MAIN).bind(new Reference("tunnelbox-help"), "?");
        buildOperational();
        buildConfigure();
    }

    /**
     * Typed (or pasted) characters beyond {@link #MAX_LINE} are dropped as they arrive, so an
     * endless line costs nothing to edit or redraw; Enter then reports it instead of running it.
     */
    private void capLines(LineReader r) {
        org.jline.reader.Widget insert = r.getWidgets().get(LineReader.SELF_INSERT);
        r.getWidgets().put(LineReader.SELF_INSERT, () -> {
            if (r.getBuffer().length() >= MAX_LINE) {
                lineTooLong = true;
                dropRestOfLine(r);
                return true;
            }
            return insert.apply();
        });
    }

    /**
     * Reads and drops what is already waiting up to the end of the line (Enter stays for the line
     * reader), without the per-key work of the line editor: a pasted 100 KB line costs milliseconds.
     */
    private static void dropRestOfLine(LineReader r) {
        org.jline.utils.NonBlockingReader in = r.getTerminal().reader();
        try {
            for (int c = in.peek(1); c >= 0 && c != '\r' && c != '\n'; c = in.peek(1)) {
                in.read(1);
            }
        } catch (java.io.IOException e) {
            // the line went away; the reader notices on its next read
        }
    }

    /** True (and clears it) when the line just read was cut at {@link #MAX_LINE}; says so. */
    private boolean refusedTooLong() {
        if (!lineTooLong) {
            return false;
        }
        lineTooLong = false;
        println("error: line longer than " + MAX_LINE + " characters; the rest was dropped and nothing was run");
        return true;
    }

    /** Runs until logout, Ctrl-D, or the end of the input stream (the cable went away). */
    public void run() {
        try {
            banner();
            if (!config.hasAdmin() && !firstBoot()) {
                return;
            }
            if (!login()) {
                return;
            }
            commandLoop();
        } catch (EndOfFileException e) {
            // Ctrl-D or the line went away: the session is over either way.
            keepUncommitted("the session ended");
        } catch (RuntimeException e) {
            if (!expired) {
                keepUncommitted("the session failed");
                throw e;
            }
            // expire() closed the terminal under the reader: the expected way out.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopRollbackNotices.run();
            if (user != null) {
                Logger.info("Console session of {} ended", user);
            }
            out.flush();
        }
    }

    private void banner() {
        DeviceView.VersionInfo v = ctx.device().version();
        println("");
        println("TunnelBox " + v.firmware() + " on " + v.board() + " (" + config.running().system().hostname() + ")");
        config.storageProblem().ifPresent(p -> println("WARNING: STORAGE_FAILED: " + p
                + "; the box keeps forwarding, but commits are refused until the storage is fixed"));
        if (config.loadResult().fellBack() && config.loadResult().status() != io.tunnelbox.config.LoadResult.Status.STORAGE_FAILED) {
            println("WARNING: the stored configuration was unusable; running " + config.loadResult().status()
                    .name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " (version " + config.runningVersion() + ")");
        }
        if (!config.hasAdmin()) {
            FrontEnds.consoleNotice().forEach(this::println);
        }
    }

    // ---- login ---------------------------------------------------------------------------------

    private boolean firstBoot() throws InterruptedException {
        println("This box has no admin account yet: choose one now.");
        String name;
        while (true) {
            name = readPlain("Admin name [admin]: ").strip();
            if (name.isEmpty()) {
                name = "admin";
            }
            if (ADMIN_NAME.matcher(name).matches()) {
                break;
            }
            println("error: a name is 1 to 32 lower-case letters, digits, '_', '.' or '-', starting with a letter");
        }
        char[] password = newPassword();
        try {
            if (config.hasAdmin()) {
                println("error: an admin account was created meanwhile (web page?); log in with it");
                return true;
            }
            CommitResult r = config.setAdminPassword(name, password, AUTHOR_PREFIX + name);
            if (!r.ok()) {
                printErrors("could not store the admin account", r);
                return false;
            }
            Logger.info("Console: first admin account {} created", name);
            println("Admin account \"" + name + "\" stored (configuration version " + r.version() + "). Log in with it.");
            return true;
        } finally {
            PasswordHash.wipe(password);
        }
    }

    /** Asks for a new password twice until both match and it is long enough. */
    private char[] newPassword() {
        int min = ctx.minPasswordLength();
        while (true) {
            char[] first = readSecret("New password (at least " + min + " characters): ");
            if (first.length < min) {
                println("error: too short: " + first.length + " characters, at least " + min + " needed");
                PasswordHash.wipe(first);
                continue;
            }
            String weak = CommonPasswords.weakness(first);
            if (weak != null) {
                println("error: " + weak + "; choose another");
                PasswordHash.wipe(first);
                continue;
            }
            char[] second = readSecret("Retype new password: ");
            boolean same = Arrays.equals(first, second);
            PasswordHash.wipe(second);
            if (same) {
                return first;
            }
            PasswordHash.wipe(first);
            println("error: the two passwords differ; try again");
        }
    }

    private boolean login() throws InterruptedException {
        while (true) {
            String name = readPlain("login: ").strip();
            if (name.isEmpty()) {
                continue;
            }
            char[] password = readSecret("Password: ");
            boolean ok;
            try {
                ok = config.checkPassword(name, password);
            } finally {
                PasswordHash.wipe(password);
            }
            if (ok) {
                int failedBefore = ctx.throttle().failures();
                ctx.throttle().succeeded();
                user = name;
                active = true;
                Logger.info("Console login by {}", name);
                println("Welcome, " + name + ". Type ? for help.");
                if (failedBefore > 0) {
                    println("NOTE: " + failedBefore + " failed login" + (failedBefore == 1 ? "" : "s")
                            + " since the last good login on this console");
                }
                afterLogin();
                return true;
            }
            Duration wait = ctx.throttle().failed();
            // The name stays out of the log: people type passwords into the login prompt.
            Logger.warn("Console login failed ({} in a row)", ctx.throttle().failures());
            println("Login incorrect");
            if (!wait.isZero()) {
                println("(" + ctx.throttle().failures() + " failures: next try in " + wait.toSeconds() + " s)");
                out.flush();
                ctx.sleeper().sleep(wait);
            }
        }
    }

    /**
     * After a good login: learn the screen height, announce automatic rollbacks from now on, and
     * give back a candidate an earlier session of this admin left uncommitted.
     */
    private void afterLogin() {
        TerminalSize.Answer size = TerminalSize.ask(terminal);
        size.rows().ifPresent(pager::length);
        if (!size.typedAhead().isEmpty()) {
            reader.runMacro(size.typedAhead()); // keys typed while the terminal was asked are not lost
        }
        stopRollbackNotices = config.onAutomaticRollback(this::announce);
        ctx.stash().take(user).ifPresent(kept -> {
            candidate = kept.candidate();
            candidateBase = kept.baseVersion();
            inConfigure = true;
            int changes = compare().size();
            println("Your uncommitted changes from your last session are back (" + changes + " line"
                    + (changes == 1 ? "" : "s") + " in compare); you are in configure mode.");
        });
    }

    /** Says at once, in this session, that the box rolled back; flags the candidate that held the change. */
    private void announce(String what) {
        List<String> lines = new ArrayList<>();
        int room = (terminal.getWidth() > 0 ? terminal.getWidth() : 80) - 1 - 4;
        String rest = what;
        while (!rest.isEmpty()) {
            int space = rest.lastIndexOf(' ', room);
            int cut = rest.length() <= room ? rest.length() : space > 0 ? space : room;
            lines.add("*** " + rest.substring(0, cut).stripTrailing());
            rest = rest.substring(cut).stripLeading();
        }
        if (candidate != null) {
            lines.add("*** the candidate still holds that change: see compare; rollback 0 drops it");
        }
        String text = String.join("\n", lines);
        // Not on the configuration service's thread: a slow line must not hold up the box.
        Thread.ofVirtual().name("console-notice").start(() -> {
            if (readingCommand) {
                reader.printAbove(text);
            } else {
                synchronized (out) {
                    out.println(text);
                    out.flush();
                }
            }
        });
    }

    /** Keeps a candidate with changes for the next login of the same admin, and says so in the log. */
    private void keepUncommitted(String why) {
        if (user == null || candidate == null || compare().equals(List.of("no changes"))) {
            return;
        }
        ctx.stash().keep(user, candidate, candidateBase);
        Logger.info("Console: {}; the uncommitted changes of {} are kept for the next login", why, user);
        candidate = null;
        inConfigure = false;
    }

    private String readPlain(String prompt) {
        flushCaptured();
        readingCommand = false;
        try {
            String line = secretReader.readLine(prompt);
            return refusedTooLong() ? "" : line;
        } catch (UserInterruptException e) {
            return "";
        }
    }

    private char[] readSecret(String prompt) {
        flushCaptured();
        readingCommand = false;
        try {
            char[] secret = secretReader.readLine(prompt, LineReaderImpl.NULL_MASK).toCharArray();
            if (refusedTooLong()) {
                PasswordHash.wipe(secret);
                return new char[0];
            }
            return secret;
        } catch (UserInterruptException e) {
            return new char[0];
        }
    }

    // ---- the command loop ----------------------------------------------------------------------

    private void commandLoop() {
        boolean ctrlDWarned = false;
        while (!loggedOut) {
            pendingConfirmNotice();
            String line;
            readingCommand = true;
            try {
                line = reader.readLine(prompt());
                ctrlDWarned = false;
            } catch (UserInterruptException e) {
                if (loggedOut) {
                    break; // expireInPlace() woke the reader up
                }
                markDropped(e.getPartialLine());
                continue;
            } catch (EndOfFileException e) {
                if (ctrlDWarned || !inConfigure || compare().equals(List.of("no changes"))) {
                    throw e;
                }
                // Ctrl-D in configure mode with changes: do not drop them on one keystroke.
                println("");
                println("You have uncommitted changes: commit them, or exit to discard them.");
                println("(Ctrl-D again logs out and keeps them for your next login.)");
                ctrlDWarned = true;
                continue;
            } finally {
                readingCommand = false;
                activity.run();
            }
            if (refusedTooLong()) {
                continue;
            }
            execute(line);
        }
    }

    /** Runs one command line; every refusal or failure is one line starting with "error:". */
    void execute(String line) {
        String text = line.strip();
        if (text.isEmpty()) {
            return;
        }
        if (text.endsWith("?") && !text.contains("\"")) {
            // Pasted or typed without the key binding (a dumb terminal): same help as the ? key.
            printHelp(text.substring(0, text.length() - 1));
            return;
        }
        captured = new ArrayList<>();
        try {
            OutputFilter.Split split = OutputFilter.split(text);
            List<Words.Word> words = Words.split(split.command());
            CommandTree.Match m;
            try {
                m = tree().resolve(words);
            } catch (CommandException e) {
                String foreign = words.isEmpty() ? null : FOREIGN_WORDS.get(words.getFirst().text());
                if (foreign != null && tree().root().children.keySet().stream().noneMatch(w -> w.startsWith(words.getFirst().text()))) {
                    throw new CommandException(foreign);
                }
                throw inConfigure ? operationalHint(words, e) : e;
            }
            m.node().action.run(m.args());
            OutputFilter.Result shown = OutputFilter.apply(takeCaptured(), split.pipes());
            pager.show(shown.lines(), shown.page());
        } catch (CommandException e) {
            flushCaptured();
            println("error: " + e.getMessage());
        } catch (RuntimeException e) {
            flushCaptured();
            Logger.error(e, "Console command failed");
            println("error: internal error (" + e.getClass().getSimpleName() + "); details are in the log");
        } finally {
            flushCaptured();
        }
        out.flush();
    }

    private List<String> takeCaptured() {
        List<String> lines = captured == null ? List.of() : captured;
        captured = null;
        return lines;
    }

    /** Prints what a command printed so far (before a question, or after a failure), unpaged. */
    private void flushCaptured() {
        List<String> lines = takeCaptured();
        lines.forEach(out::println);
        out.flush();
    }

    /** In configure mode, "show version" is not a configure command but still what was meant. */
    private CommandException operationalHint(List<Words.Word> words, CommandException original) {
        try {
            CommandTree.Match m = operational.resolve(words);
            String command = String.join(" ", m.path());
            return new CommandException("\"" + command + "\" is an operational command: type run " + String.join(" ",
                    Words.texts(words)) + ", or exit configure mode first");
        } catch (CommandException notOperationalEither) {
            return original;
        }
    }

    private CommandTree tree() {
        return inConfigure ? configure : operational;
    }

    private String prompt() {
        String host = config.running().system().hostname();
        return inConfigure ? host + "(config)# " : host + "> ";
    }

    /** The dropped line stays on the screen with ^C at its end, as a shell shows it. */
    private void markDropped(String partial) {
        String line = prompt() + (partial == null ? "" : partial);
        if (line.length() + 2 < terminal.getWidth()) {
            out.print("\u001b[A\r" + line + "^C\n"); // back up to the line JLine just left
        } else {
            out.println("^C");
        }
        out.flush();
    }

    private void pendingConfirmNotice() {
        config.confirmDeadline().ifPresent(deadline -> {
            long left = deadline.toEpochMilli() - ctx.clock().epochMillis();
            String back = config.confirmRestoreVersion().map(v -> "goes back to version " + v).orElse("rolls back");
            println("[commit confirmed: " + back + " in " + Math.max(0, (left + 999) / 1000)
                    + " s unless you type confirm]");
        });
    }

    // ---- help and completion -------------------------------------------------------------------

    private boolean helpWidget() {
        String upToCursor = reader.getBuffer().upToCursor();
        if (!readingCommand || insideQuotes(upToCursor)) {
            reader.getBuffer().write('?');
            return true;
        }
        // The typed line stays on the screen with its "?", the help below it, and the line again
        // ready to go on (as on network gear), instead of the help wiping the line out.
        String asked = prompt() + reader.getBuffer().toString() + "?";
        reader.printAbove(asked + "\n" + String.join("\n", helpLines(upToCursor)));
        return true;
    }

    private static boolean insideQuotes(String s) {
        return s.chars().filter(c -> c == '"').count() % 2 == 1;
    }

    private void printHelp(String upToCursor) {
        helpLines(upToCursor).forEach(this::println);
    }

    List<String> helpLines(String upToCursor) {
        CommandTree.Help h = help(upToCursor);
        List<String> lines = new ArrayList<>();
        if (h.error() != null) {
            lines.add("error: " + h.error());
            return lines;
        }
        int width = h.choices().stream().mapToInt(c -> c.word().length()).max().orElse(0);
        if (h.synopsis() != null) {
            width = Math.max(width, h.synopsis().length());
        }
        if (h.canRun()) {
            width = Math.max(width, "<Enter>".length());
        }
        for (CommandTree.Choice c : h.choices()) {
            helpLine(lines, c.word(), width, c.help());
        }
        if (h.synopsis() != null) {
            helpLine(lines, h.synopsis(), width, h.synopsisHelp() == null ? "" : h.synopsisHelp());
        }
        if (h.canRun()) {
            helpLine(lines, "<Enter>", width, "run it");
        }
        if (lines.isEmpty()) {
            lines.add("error: nothing matches \"" + upToCursor.strip() + "\"");
        }
        return lines;
    }

    /** One help row; help longer than the screen is wrapped under its column, not across it. */
    private void helpLine(List<String> lines, String word, int width, String help) {
        int column = 2 + width + 2;
        int room = Math.max(20, (terminal.getWidth() > 0 ? terminal.getWidth() : 80) - 1 - column);
        String rest = help;
        String first = "  " + pad(word, width) + "  ";
        do {
            int space = rest.lastIndexOf(' ', room);
            int cut = rest.length() <= room ? rest.length() : space > 0 ? space : room;
            lines.add((first == null ? " ".repeat(column) : first) + rest.substring(0, cut).stripTrailing());
            rest = rest.substring(cut).stripLeading();
            first = null;
        } while (!rest.isEmpty());
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    /** Help for the command, or, after a {@code |}, for the output filters. */
    private CommandTree.Help help(String upToCursor) {
        int bar = lastUnquotedBar(upToCursor);
        if (bar < 0) {
            return tree().help(upToCursor);
        }
        String pipe = upToCursor.substring(bar + 1);
        String[] words = pipe.strip().split("\\s+");
        boolean typingFirst = pipe.isBlank() || (words.length == 1 && !Character.isWhitespace(pipe.charAt(pipe.length() - 1)));
        if (typingFirst) {
            String prefix = pipe.strip();
            return new CommandTree.Help(OutputFilter.CHOICES.stream().filter(c -> c.word().startsWith(prefix)).toList(),
                    false, null, null, null);
        }
        boolean takesPattern = words[0].startsWith("m") || words[0].startsWith("e");
        return new CommandTree.Help(List.of(), true, takesPattern ? "<pattern>" : null,
                takesPattern ? "regular expression, case-insensitive" : null, null);
    }

    private static int lastUnquotedBar(String s) {
        boolean quoted = false;
        int at = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '|' && !quoted) {
                at = i;
            }
        }
        return at;
    }

    private void complete(String upToCursor, List<Candidate> candidates) {
        if (!readingCommand) {
            return;
        }
        for (CommandTree.Choice c : help(upToCursor).choices()) {
            candidates.add(new Candidate(c.word(), c.word(), null, c.help().isEmpty() ? null : c.help(), null, null, true));
        }
    }

    // ---- operational mode ----------------------------------------------------------------------

    private void buildOperational() {
        CommandTree t = operational;
        t.add("show", "show the state of the box");
        t.add("show version", "firmware, board, uptime").runs(a -> print(show.version()));
        t.add("show interfaces", "WAN and LAN: state, addresses, counters")
                .runs(a -> print(a.isEmpty() ? show.interfaces() : show.interfaceDetail(a.getFirst().text())))
                .takes("[role]", "one interface in detail (wan, lan)", soFar -> soFar.isEmpty()
                        ? ctx.device().interfaces().stream().map(i -> new CommandTree.Choice(i.role(), i.nic())).toList()
                        : List.of());
        t.add("show tunnels", "GRE tunnels: state and counters (with a name: details)")
                .runs(a -> print(a.isEmpty() ? show.tunnels() : show.tunnel(a.getFirst().text())))
                .takes("[name]", "one tunnel in detail: settings, keepalives, drops by reason", soFar -> soFar.isEmpty()
                        ? ctx.device().tunnels().stream().map(x -> new CommandTree.Choice(x.name(), x.remote())).toList()
                        : List.of());
        t.add("show segments", "L2 segments (VXLAN, Ethernet over GRE)").runs(a -> print(show.segments()));
        t.add("show mac", "learned MAC addresses").runs(a -> print(show.mac()));
        t.add("show flows", "the switch's flow tables with counters").runs(a -> print(show.flows()));
        t.add("show flows table", "one flow table").runs(a -> print(flowTable(show.flows(), a)))
                .takes("<n>", "table number: 0, 1, 2, 10, 20 or 21", null);
        t.add("show routes", "routes into tunnels").runs(a -> print(show.routes()));
        t.add("show counters", "drop and event counters").runs(a -> print(show.counters()));
        t.add("show firewall", "the firewall's rules with counters").runs(a -> print(ctx.device().firewall()));
        t.add("show ipsec", "encrypted peers: SAs, algorithms, bytes, last rekey").runs(a -> print(show.ipsec()));
        t.add("show log", "recent log lines").runs(a -> print(show.log(count(a, 50))))
                .takes("[lines]", "how many of the newest lines (default 50)", null);
        t.add("show log errors", "recent errors and warnings only").runs(a -> print(logErrors(count(a, 50))))
                .takes("[lines]", "how many of the newest (default 50)", null);
        t.add("show config", "the running configuration").runs(a -> print(show.config(Words.texts(a))))
                .takes("[path...]", "only this part, e.g. tunnels gre1", this::runningPathChoices);
        t.add("show commits", "stored configuration versions").runs(a -> print(show.commits()));
        t.add("show web", "the web page: addresses, certificate fingerprint").runs(a -> print(FrontEnds.status()));
        t.add("configure", "edit the configuration (then commit)").runs(a -> enterConfigure());
        t.add("ping", "send echo requests from the box (Ctrl-C stops)").runs(network::ping)
                .takes("<address> [options]", "an IPv4 address; ? after it lists the options",
                        NetworkCommands::pingOptions);
        t.add("traceroute", "the hops to an address (Ctrl-C stops)").runs(network::traceroute)
                .takes("<address> [options]", "an IPv4 address; ? after it lists the options",
                        NetworkCommands::tracerouteOptions);
        t.add("set", "this session's settings");
        t.add("set terminal length", "lines per screen for the --More-- pager").runs(this::terminalLength)
                .takes("<lines>", "5..500, or 0 for no pager", null);
        t.add("clear", "reset something");
        t.add("clear counters", "set every counter back to zero").runs(a -> {
            ctx.device().clearCounters();
            Logger.info("Counters cleared by {}", user);
            println("counters cleared");
        });
        t.add("factory-reset", "erase the configuration and restart with factory defaults").runs(a -> factoryReset());
        t.add("reboot", "restart the box").runs(a -> reboot());
        t.add("update", "install a firmware bundle and restart into it (rolls back unless healthy)").runs(this::update)
                .takes("<file>", "a signed bundle (.tbx) on the box, e.g. on a USB stick", null);
        t.add("help", "what the commands are").runs(a -> printHelp(""));
        t.add("logout", "end this session").runs(a -> logout());
        t.add("exit", "end this session").runs(a -> logout());
    }

    /** The flows of one table: a flow's own table is the first "table=" on its line (learn() names another). */
    static List<String> flowTable(List<String> flows, List<Words.Word> args) throws CommandException {
        if (args.size() != 1 || !args.getFirst().text().matches("[0-9]{1,3}")) {
            throw new CommandException("usage: show flows table <n>, e.g. show flows table 20");
        }
        String n = args.getFirst().text();
        List<String> out = new ArrayList<>();
        for (String l : flows) {
            java.util.regex.Matcher m = Pattern.compile("table=([0-9]+)").matcher(l);
            if (m.find() && m.group(1).equals(n)) {
                out.add(l);
            }
        }
        return out.isEmpty() ? List.of("no flows in table " + n) : out;
    }

    private static final Pattern ERROR_LEVEL = Pattern.compile("\\b(ERROR|WARN|WARNING)\\b");

    private List<String> logErrors(int lines) {
        List<String> all = ctx.log().last(ctx.log().capacity());
        List<String> errors = all.stream().filter(l -> ERROR_LEVEL.matcher(l).find()).toList();
        if (errors.isEmpty()) {
            return List.of("no errors or warnings in the last " + all.size() + " log lines");
        }
        return errors.subList(Math.max(0, errors.size() - lines), errors.size());
    }

    private void terminalLength(List<Words.Word> args) throws CommandException {
        int n;
        try {
            n = args.size() == 1 ? Integer.parseInt(args.getFirst().text()) : -1;
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n != 0 && (n < 5 || n > 500)) {
            throw new CommandException("usage: set terminal length <lines>, 5..500, or 0 for no pager");
        }
        pager.length(n);
        println(n == 0 ? "pager off" : "pager: " + n + " lines per screen");
    }

    private void factoryReset() throws CommandException {
        if (!confirm("Erase the whole configuration, its history and the admin accounts? [yes/no] ")) {
            println("factory reset cancelled");
            return;
        }
        if (!confirmWord("Really? The box restarts with factory defaults and no tunnels. Type yes again: ")) {
            println("factory reset cancelled");
            return;
        }
        Logger.warn("Factory reset requested on the console by {}", user);
        println("factory reset: erasing and restarting");
        out.flush();
        ctx.system().factoryReset();
    }

    private void update(List<Words.Word> args) throws CommandException {
        List<String> words = Words.texts(args);
        if (words.size() != 1) {
            throw new CommandException("usage: update <file> (a signed firmware bundle on the box)");
        }
        Logger.warn("Firmware update from {} requested on the console by {}", words.get(0), user);
        println(ctx.system().update(words.get(0)));
        out.flush();
    }

    private void reboot() throws CommandException {
        if (!confirm("Reboot the box? [yes/no] ")) {
            println("reboot cancelled");
            return;
        }
        Logger.warn("Reboot requested on the console by {}", user);
        println("rebooting");
        out.flush();
        ctx.system().reboot();
    }

    private void logout() {
        loggedOut = true;
        active = false;
        println("bye");
    }

    private boolean confirm(String question) {
        String answer = readPlain(question).strip().toLowerCase(java.util.Locale.ROOT);
        return answer.equals("yes") || answer.equals("y");
    }

    /** For the last question before something that cannot be undone: the whole word, not "y". */
    private boolean confirmWord(String question) {
        return readPlain(question).strip().equals("yes");
    }

    private static int count(List<Words.Word> args, int dflt) throws CommandException {
        if (args.isEmpty()) {
            return dflt;
        }
        if (args.size() > 1) {
            throw new CommandException("expected one number of lines, got " + args.size() + " words");
        }
        try {
            int n = Integer.parseInt(args.getFirst().text());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new CommandException("\"" + args.getFirst().text() + "\" is not a number of lines (1 or more)");
        }
    }

    // ---- configure mode ------------------------------------------------------------------------

    private void enterConfigure() {
        candidate = config.runningTree();
        candidateBase = config.runningVersion();
        baseWarned = false;
        inConfigure = true;
        println("Editing a copy of configuration version " + config.runningVersion() + "; commit stores and applies it.");
    }

    private void buildConfigure() {
        CommandTree t = configure;
        t.add("set", "set a value (creates what is missing)").runs(this::set)
                .takes("<path...> <value>", "e.g. tunnels gre1 remote 203.0.113.1", this::candidatePathChoices)
                .describes(soFar -> FieldHelp.describe(candidate, soFar));
        t.add("delete", "remove a setting, a list entry or a value").runs(this::delete)
                .takes("<path...>", "e.g. tunnels gre1", this::candidatePathChoices);
        t.add("show", "the candidate configuration").runs(this::showCandidate)
                .takes("[path...]", "only this part", this::candidatePathChoices);
        t.add("compare", "what commit would change").runs(a -> print(compare()));
        t.add("commit", "validate, store and apply the candidate").runs(this::commit)
                .takes("[comment...]", "why, for the history", null);
        t.add("commit confirmed", "commit; roll back by itself unless confirmed in time").runs(this::commitConfirmed)
                .takes("[minutes] [comment...]", "time to confirm, 1..60 (default 10), then why", null);
        t.add("confirm", "keep a commit confirmed").runs(a -> {
            println(config.confirm(author()) ? "confirmed: version " + config.runningVersion() + " stays"
                    : "error: no commit is waiting for confirmation");
        });
        t.add("rollback", "load an earlier version into the candidate (then compare, commit)").runs(a -> rollback(a, false))
                .takes("<n>", "versions back: 1 = the one before, 0 = the running one (drops your edits)", null);
        t.add("rollback version", "load a stored version by its number (run show commits)").runs(a -> rollback(a, true))
                .takes("<number>", "a version number from show commits", a -> versionChoices());
        t.add("password", "set an admin's password in the candidate (asks twice)").runs(this::password)
                .takes("<admin>", "the account (a new name asks first)", a -> adminChoices());
        t.add("run", "an operational command, e.g. run show tunnels").runs(a -> runOperational(a))
                .takes("<command...>", "show, ping, clear ...",
                        soFar -> operational.help(soFar.isEmpty() ? "" : String.join(" ", soFar) + " ").choices());
        t.add("exit", "leave configure mode").runs(a -> exitConfigure());
        t.add("help", "what the commands are").runs(a -> printHelp(""));
    }

    /**
     * Checks keyword, type and range on the set line (cross-checks between settings wait for
     * commit): the change is made on a copy, which the configuration parser reads; only errors
     * about the path being set, and new ones, refuse it. A refused set leaves the candidate as it was.
     */
    private void set(List<Words.Word> args) throws CommandException {
        if (args.size() < 2) {
            throw new CommandException("usage: set <path...> <value>, e.g. set tunnels gre1 remote 203.0.113.1");
        }
        List<String> path = Words.texts(args.subList(0, args.size() - 1));
        Words.Word value = args.getLast();
        if (FieldHelp.takesText(path)) {
            value = new Words.Word(value.text(), true);
        }
        ObjectNode next = candidate.deepCopy();
        ConfigPaths.set(next, path, value);
        Set<String> before = new LinkedHashSet<>(errorLines(candidate));
        List<String> refused = new ArrayList<>();
        String setWords = String.join(" ", path);
        for (ConfigError e : io.tunnelbox.config.ConfigParser.fieldErrors(next)) {
            String where = ConfigPaths.setSyntax(next, e.path());
            String line = where.isEmpty() ? e.message() : where + ": " + e.message();
            boolean about = !where.isEmpty() && ((setWords + " ").startsWith(where + " ") || where.startsWith(setWords + " "));
            if (about && !before.contains(line)) {
                refused.add(line);
            }
        }
        if (!refused.isEmpty()) {
            throw new CommandException(String.join("\nerror: ", refused));
        }
        candidate = next;
    }

    private List<String> errorLines(ObjectNode tree) {
        List<String> out = new ArrayList<>();
        for (ConfigError e : io.tunnelbox.config.ConfigParser.fieldErrors(tree)) {
            String where = ConfigPaths.setSyntax(tree, e.path());
            out.add(where.isEmpty() ? e.message() : where + ": " + e.message());
        }
        return out;
    }

    private void delete(List<Words.Word> args) throws CommandException {
        if (args.isEmpty()) {
            throw new CommandException("usage: delete <path...>, e.g. delete tunnels gre1");
        }
        ConfigPaths.delete(candidate, Words.texts(args));
    }

    private void showCandidate(List<Words.Word> args) throws CommandException {
        try {
            print(ShowCommands.tree(candidate, Words.texts(args)));
        } catch (CommandException e) {
            // "show tunnels" here shows the candidate's tunnels; "show version" is not in the tree.
            List<Words.Word> words = new ArrayList<>();
            words.add(new Words.Word("show", false));
            words.addAll(args);
            throw operationalHint(words, e);
        }
    }

    List<String> compare() {
        List<String> running = ConfigPaths.setLines(config.runningTree());
        List<String> next = ConfigPaths.setLines(candidate);
        Set<String> before = new LinkedHashSet<>(running);
        Set<String> after = new LinkedHashSet<>(next);
        List<String> lines = new ArrayList<>();
        for (String l : running) {
            if (!after.contains(l)) {
                lines.add("- " + l);
            }
        }
        for (String l : next) {
            if (!before.contains(l)) {
                lines.add("+ " + l);
            }
        }
        if (lines.isEmpty() && !candidate.equals(config.runningTree())) {
            lines.add("(only hidden values or the order of entries differ)");
        }
        return lines.isEmpty() ? List.of("no changes") : lines;
    }

    private void commit(List<Words.Word> args) throws CommandException {
        String comment = comment(args);
        checkBase();
        boolean wasPending = config.confirmDeadline().isPresent();
        Optional<Integer> restore = config.confirmRestoreVersion();
        CommitResult r = config.commit(candidate, author(), comment);
        report(r, "commit");
        if (r.ok() && wasPending && config.confirmDeadline().isEmpty()) {
            println("this commit confirms the commit confirmed: version " + r.version() + " stays"
                    + restore.map(v -> " (no going back to version " + v + ")").orElse(""));
        }
    }

    /** "commit because x", "commit comment x" and "commit \"x\"" all give comment x. */
    private static String comment(List<Words.Word> args) {
        List<String> words = Words.texts(args);
        if (!words.isEmpty() && words.getFirst().equals("comment")) {
            words = words.subList(1, words.size());
        }
        return String.join(" ", words);
    }

    /**
     * The running configuration moved since this candidate was made (another session, the web
     * page, an automatic rollback): the first commit says so instead of applying blindly.
     */
    private void checkBase() throws CommandException {
        int now = config.runningVersion();
        if (now == candidateBase || baseWarned) {
            return;
        }
        baseWarned = true;
        String because = config.history().isEmpty() ? "" : config.history().getFirst().comment();
        throw new CommandException("the running configuration is version " + now + " now; your candidate was made on "
                + candidateBase + (because.isEmpty() ? "" : "\nerror: (" + (because.length() > 70
                        ? because.substring(0, 67) + "..." : because) + ")")
                + "\nerror: compare shows what commit would change now; commit again to apply it,"
                + "\nerror: or rollback 0 to start over from version " + now);
    }

    private void commitConfirmed(List<Words.Word> args) throws CommandException {
        int minutes = 10;
        List<Words.Word> rest = args;
        if (!args.isEmpty() && args.getFirst().text().matches("[0-9]+")) {
            minutes = Integer.parseInt(args.getFirst().text());
            if (minutes < 1 || minutes > 60) {
                throw new CommandException("commit confirmed takes 1..60 minutes, not " + minutes);
            }
            rest = args.subList(1, args.size());
        }
        checkBase();
        int restoreTo = config.confirmRestoreVersion().orElse(config.runningVersion());
        CommitResult r = config.commitConfirmed(candidate, author(), Duration.ofMinutes(minutes), comment(rest));
        report(r, "commit confirmed");
        if (r.ok()) {
            println("type confirm (or commit) within " + minutes + " min, or the box goes back to version " + restoreTo);
        }
    }

    /** Loads a stored version into the candidate; nothing changes on the box until commit. */
    private void rollback(List<Words.Word> args, boolean byNumber) throws CommandException {
        String usage = byNumber ? "usage: rollback version <number> (run show commits lists them)"
                : "usage: rollback <n> (1 = the version before the running one, 0 = the running one)";
        if (args.size() != 1 || !args.getFirst().text().matches("[0-9]{1,9}")) {
            throw new CommandException(usage);
        }
        int n = Integer.parseInt(args.getFirst().text());
        List<io.tunnelbox.config.ConfigVersion> history = config.history();
        io.tunnelbox.config.ConfigVersion target;
        if (byNumber) {
            target = history.stream().filter(v -> v.number() == n).findFirst().orElseThrow(() -> new CommandException(
                    "version " + n + " is not kept; kept: " + history.stream().map(v -> String.valueOf(v.number()))
                            .reduce((a, b) -> a + ", " + b).orElse("none")));
        } else {
            if (n >= history.size()) {
                throw new CommandException("cannot go back " + n + ": only " + (history.size() - 1) + " earlier version"
                        + (history.size() == 2 ? " is" : "s are") + " kept (run show commits)");
            }
            target = history.get(n);
        }
        io.tunnelbox.config.Config stored = config.version(target.number()).orElseThrow(() ->
                new CommandException("version " + target.number() + " cannot be read from the store"));
        if (!compare().equals(List.of("no changes"))
                && !confirm("Replace your uncommitted changes with version " + target.number() + "? [yes/no] ")) {
            println("rollback cancelled; your changes are still in the candidate");
            return;
        }
        candidate = io.tunnelbox.config.ConfigJson.toTree(stored);
        candidateBase = config.runningVersion();
        baseWarned = false;
        if (target.number() == config.runningVersion()) {
            println("candidate reset to the running version " + target.number());
            return;
        }
        println("loaded version " + target.number() + " into the candidate ("
                + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(java.time.ZoneOffset.UTC)
                        .format(target.time()) + " UTC, " + target.author() + ")");
        if (!target.comment().isEmpty()) {
            String c = target.comment();
            println("  \"" + (c.length() > 70 ? c.substring(0, 67) + "..." : c) + "\"");
        }
        List<String> diff = compare();
        print(diff);
        println("commit applies it (as a new version); nothing has changed on the box yet");
    }

    private List<CommandTree.Choice> versionChoices() {
        return config.history().stream().map(v -> new CommandTree.Choice(String.valueOf(v.number()),
                v.author() + (v.comment().isEmpty() ? "" : ": " + v.comment()))).toList();
    }

    private void report(CommitResult r, String what) {
        if (r.ok()) {
            println(what + " complete: version " + r.version() + " (" + r.summary() + ")");
            candidate = config.runningTree();
            candidateBase = config.runningVersion();
            baseWarned = false;
        } else {
            printErrors(what + " failed", r);
        }
    }

    private void printErrors(String what, CommitResult r) {
        println("error: " + what + ": " + r.summary());
        for (ConfigError e : r.errors()) {
            // In set syntax ("tunnels gre1 remote"), the words an admin types to fix it.
            String where = candidate == null ? e.path() : ConfigPaths.setSyntax(candidate, e.path());
            println("error: " + (where.isEmpty() ? e.message() : where + ": " + e.message()));
        }
    }

    private void password(List<Words.Word> args) throws CommandException {
        if (args.size() != 1 || !ADMIN_NAME.matcher(args.getFirst().text()).matches()) {
            throw new CommandException("usage: password <admin>, a name of lower-case letters, digits, '_', '.', '-'");
        }
        String name = args.getFirst().text();
        List<String> admins = new ArrayList<>();
        candidate.path("system").path("admins").forEach(a -> admins.add(a.path("name").asText()));
        if (!admins.contains(name) && !admins.isEmpty()
                && !confirm("There is no admin \"" + name + "\" (admins: " + String.join(", ", admins)
                        + "). Create a new admin account? [yes/no] ")) {
            println("no password set");
            return;
        }
        char[] pw = newPassword();
        try {
            String hash = PasswordHash.hash(pw);
            ConfigPaths.set(candidate, List.of("system", "admins", args.getFirst().text(), "passwordHash"),
                    new Words.Word(hash, true));
        } finally {
            PasswordHash.wipe(pw);
        }
        println("password set in the candidate; commit to store it");
    }

    private void runOperational(List<Words.Word> args) throws CommandException {
        if (args.isEmpty()) {
            throw new CommandException("usage: run <operational command>, e.g. run show tunnels");
        }
        CommandTree.Match m = operational.resolve(args);
        String first = m.path().getFirst();
        if (first.equals("configure") || first.equals("logout") || first.equals("exit")) {
            throw new CommandException("\"" + first + "\" cannot run from configure mode; exit first");
        }
        m.node().action.run(m.args());
    }

    private void exitConfigure() throws CommandException {
        if (!compare().equals(List.of("no changes")) && !confirm("Discard the uncommitted changes? [yes/no] ")) {
            println("still in configure mode; commit or exit again");
            return;
        }
        inConfigure = false;
        candidate = null;
    }

    private String author() {
        return AUTHOR_PREFIX + user;
    }

    private List<CommandTree.Choice> candidatePathChoices(List<String> soFar) {
        return FieldHelp.choices(candidate, soFar);
    }

    private List<CommandTree.Choice> runningPathChoices(List<String> soFar) {
        return ConfigPaths.next(config.runningTree(), soFar).stream().map(w -> new CommandTree.Choice(w, "")).toList();
    }

    private List<CommandTree.Choice> adminChoices() {
        return config.running().system().admins().stream().map(a -> new CommandTree.Choice(a.name(), "")).toList();
    }

    /** Tells {@code r} of every line read: the idle guard of a console whose input it cannot watch. */
    void onActivity(Runnable r) {
        this.activity = r;
    }

    /** True while an admin is logged in: the idle timeout applies then only. */
    boolean loggedIn() {
        return active && !expired;
    }

    /** Ends the session from another thread (idle timeout): says why, then closes its terminal. */
    void expire(java.io.Closeable terminal) {
        expired = true;
        Logger.info("Console session of {} logged out after {} min idle", user, ctx.idleTimeout().toMinutes());
        out.println();
        out.println("idle for " + ctx.idleTimeout().toMinutes() + " min: logged out");
        if (user != null && candidate != null && !compare().equals(List.of("no changes"))) {
            keepUncommitted("idle logout");
            out.println("your uncommitted changes are kept: they come back when " + user + " logs in again");
        }
        out.flush();
        try {
            terminal.close();
        } catch (java.io.IOException e) {
            Logger.warn("Closing an idle console session: {}", e.getMessage());
        }
    }

    /**
     * Idle logout on a terminal that outlives the session (the process's own): says why, keeps
     * uncommitted changes, and wakes the reader up so the next login prompt follows.
     */
    void expireInPlace() {
        expired = true;
        Logger.info("Console session of {} logged out after {} min idle", user, ctx.idleTimeout().toMinutes());
        reader.printAbove("idle for " + ctx.idleTimeout().toMinutes() + " min: logged out");
        if (user != null && candidate != null && !compare().equals(List.of("no changes"))) {
            keepUncommitted("idle logout");
            reader.printAbove("your uncommitted changes are kept: they come back when " + user + " logs in again");
        }
        loggedOut = true;
        active = false;
        terminal.raise(Terminal.Signal.INT);
    }

    // ---- output --------------------------------------------------------------------------------

    private void print(List<String> lines) {
        lines.forEach(this::println);
    }

    private void println(String s) {
        if (captured != null) {
            captured.addAll(s.isEmpty() ? List.of("") : s.lines().toList());
        } else {
            out.println(s);
        }
    }

    /** For tests and the wiring: whether this session is in configure mode. */
    boolean inConfigure() {
        return inConfigure;
    }
}
