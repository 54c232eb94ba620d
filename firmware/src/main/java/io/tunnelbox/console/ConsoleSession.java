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
    private String user;

    public ConsoleSession(ConsoleContext ctx, Terminal terminal) {
        this.ctx = ctx;
        this.config = ctx.config();
        this.out = terminal.writer();
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
        } catch (RuntimeException e) {
            if (!expired) {
                throw e;
            }
            // expire() closed the terminal under the reader: the expected way out.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
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
                ctx.throttle().succeeded();
                user = name;
                active = true;
                Logger.info("Console login by {}", name);
                println("Welcome, " + name + ". Type ? for help.");
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

    private String readPlain(String prompt) {
        readingCommand = false;
        try {
            String line = secretReader.readLine(prompt);
            return refusedTooLong() ? "" : line;
        } catch (UserInterruptException e) {
            return "";
        }
    }

    private char[] readSecret(String prompt) {
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
        while (!loggedOut) {
            pendingConfirmNotice();
            String line;
            readingCommand = true;
            try {
                line = reader.readLine(prompt());
            } catch (UserInterruptException e) {
                continue;
            } finally {
                readingCommand = false;
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
        try {
            List<Words.Word> words = Words.split(text);
            CommandTree.Match m;
            try {
                m = tree().resolve(words);
            } catch (CommandException e) {
                throw inConfigure ? operationalHint(words, e) : e;
            }
            m.node().action.run(m.args());
        } catch (CommandException e) {
            println("error: " + e.getMessage());
        } catch (RuntimeException e) {
            Logger.error(e, "Console command failed");
            println("error: internal error (" + e.getClass().getSimpleName() + "); details are in the log");
        }
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

    private void pendingConfirmNotice() {
        config.confirmDeadline().ifPresent(deadline -> {
            long left = deadline.toEpochMilli() - ctx.clock().epochMillis();
            println("[commit confirmed: rolls back in " + Math.max(0, (left + 999) / 1000) + " s unless you type confirm]");
        });
    }

    // ---- help and completion -------------------------------------------------------------------

    private boolean helpWidget() {
        String upToCursor = reader.getBuffer().upToCursor();
        if (!readingCommand || insideQuotes(upToCursor)) {
            reader.getBuffer().write('?');
            return true;
        }
        reader.printAbove(String.join("\n", helpLines(upToCursor)));
        return true;
    }

    private static boolean insideQuotes(String s) {
        return s.chars().filter(c -> c == '"').count() % 2 == 1;
    }

    private void printHelp(String upToCursor) {
        helpLines(upToCursor).forEach(this::println);
    }

    List<String> helpLines(String upToCursor) {
        CommandTree.Help h = tree().help(upToCursor);
        List<String> lines = new ArrayList<>();
        if (h.error() != null) {
            lines.add("error: " + h.error());
            return lines;
        }
        int width = h.choices().stream().mapToInt(c -> c.word().length()).max().orElse(0);
        if (h.synopsis() != null) {
            width = Math.max(width, h.synopsis().length());
        }
        for (CommandTree.Choice c : h.choices()) {
            lines.add("  " + pad(c.word(), width) + "  " + c.help());
        }
        if (h.synopsis() != null) {
            lines.add("  " + pad(h.synopsis(), width) + "  " + (h.synopsisHelp() == null ? "" : h.synopsisHelp()));
        }
        if (h.canRun()) {
            lines.add("  " + pad("<Enter>", width) + "  run it");
        }
        if (lines.isEmpty()) {
            lines.add("error: nothing matches \"" + upToCursor.strip() + "\"");
        }
        return lines;
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    private void complete(String upToCursor, List<Candidate> candidates) {
        if (!readingCommand) {
            return;
        }
        for (CommandTree.Choice c : tree().help(upToCursor).choices()) {
            candidates.add(new Candidate(c.word(), c.word(), null, c.help().isEmpty() ? null : c.help(), null, null, true));
        }
    }

    // ---- operational mode ----------------------------------------------------------------------

    private void buildOperational() {
        CommandTree t = operational;
        t.add("show", "show the state of the box");
        t.add("show version", "firmware, board, uptime").runs(a -> print(show.version()));
        t.add("show interfaces", "WAN and LAN: state, addresses, counters").runs(a -> print(show.interfaces()));
        t.add("show tunnels", "GRE tunnels: state and counters").runs(a -> print(show.tunnels()));
        t.add("show segments", "L2 segments (VXLAN, Ethernet over GRE)").runs(a -> print(show.segments()));
        t.add("show mac", "learned MAC addresses").runs(a -> print(show.mac()));
        t.add("show flows", "the switch's flow tables with counters").runs(a -> print(show.flows()));
        t.add("show routes", "routes into tunnels").runs(a -> print(show.routes()));
        t.add("show counters", "drop and event counters").runs(a -> print(show.counters()));
        t.add("show firewall", "the firewall's rules with counters").runs(a -> print(ctx.device().firewall()));
        t.add("show log", "recent log lines").runs(a -> print(show.log(count(a, 50))))
                .takes("[lines]", "how many of the newest lines (default 50)", null);
        t.add("show config", "the running configuration").runs(a -> print(show.config(Words.texts(a))))
                .takes("[path...]", "only this part, e.g. tunnels gre1", this::runningPathChoices);
        t.add("show commits", "stored configuration versions").runs(a -> print(show.commits()));
        t.add("show web", "the web page: addresses, certificate fingerprint").runs(a -> print(FrontEnds.status()));
        t.add("configure", "edit the configuration (then commit)").runs(a -> enterConfigure());
        t.add("clear", "reset something");
        t.add("clear counters", "set every counter back to zero").runs(a -> {
            ctx.device().clearCounters();
            Logger.info("Counters cleared by {}", user);
            println("counters cleared");
        });
        t.add("factory-reset", "erase the configuration and restart with factory defaults").runs(a -> factoryReset());
        t.add("reboot", "restart the box").runs(a -> reboot());
        t.add("help", "what the commands are").runs(a -> printHelp(""));
        t.add("logout", "end this session").runs(a -> logout());
        t.add("exit", "end this session").runs(a -> logout());
    }

    private void factoryReset() throws CommandException {
        if (!confirm("Erase the whole configuration, its history and the admin accounts? [yes/no] ")) {
            println("factory reset cancelled");
            return;
        }
        if (!confirm("Really? The box restarts with factory defaults and no tunnels. Type yes again: ")) {
            println("factory reset cancelled");
            return;
        }
        Logger.warn("Factory reset requested on the console by {}", user);
        println("factory reset: erasing and restarting");
        out.flush();
        ctx.system().factoryReset();
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
        inConfigure = true;
        println("Editing a copy of configuration version " + config.runningVersion() + "; commit stores and applies it.");
    }

    private void buildConfigure() {
        CommandTree t = configure;
        t.add("set", "set a value (creates what is missing)").runs(this::set)
                .takes("<path...> <value>", "e.g. tunnels gre1 remote 203.0.113.1", this::candidatePathChoices);
        t.add("delete", "remove a setting, a list entry or a value").runs(this::delete)
                .takes("<path...>", "e.g. tunnels gre1", this::candidatePathChoices);
        t.add("show", "the candidate configuration").runs(this::showCandidate)
                .takes("[path...]", "only this part", this::candidatePathChoices);
        t.add("compare", "what commit would change").runs(a -> print(compare()));
        t.add("commit", "validate, store and apply the candidate").runs(this::commit)
                .takes("[comment...]", "why, for the history", null);
        t.add("commit confirmed", "commit; roll back by itself unless confirmed in time").runs(this::commitConfirmed)
                .takes("[minutes]", "time to confirm (default 10)", null);
        t.add("confirm", "keep a commit confirmed").runs(a -> {
            println(config.confirm(author()) ? "confirmed: version " + config.runningVersion() + " stays"
                    : "error: no commit is waiting for confirmation");
        });
        t.add("rollback", "go back to an earlier stored version").runs(this::rollback)
                .takes("<n>", "versions back (1 = the one before); show commits lists them", null);
        t.add("password", "set an admin's password in the candidate (asks twice)").runs(this::password)
                .takes("<admin>", "the account; created if new", a -> adminChoices());
        t.add("run", "an operational command, e.g. run show tunnels").runs(a -> runOperational(a))
                .takes("<command...>", "show, clear ...", null);
        t.add("exit", "leave configure mode").runs(a -> exitConfigure());
        t.add("help", "what the commands are").runs(a -> printHelp(""));
    }

    private void set(List<Words.Word> args) throws CommandException {
        if (args.size() < 2) {
            throw new CommandException("usage: set <path...> <value>, e.g. set tunnels gre1 remote 203.0.113.1");
        }
        ConfigPaths.set(candidate, Words.texts(args.subList(0, args.size() - 1)), args.getLast());
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

    private void commit(List<Words.Word> args) {
        String comment = args.isEmpty() ? "" : String.join(" ", Words.texts(args));
        report(config.commit(candidate, author(), comment), "commit");
    }

    private void commitConfirmed(List<Words.Word> args) throws CommandException {
        int minutes = count(args, 10);
        CommitResult r = config.commitConfirmed(candidate, author(), Duration.ofMinutes(minutes));
        report(r, "commit confirmed");
        if (r.ok()) {
            println("type confirm within " + minutes + " min, or version " + r.version() + " is rolled back");
        }
    }

    private void rollback(List<Words.Word> args) throws CommandException {
        if (args.size() != 1) {
            throw new CommandException("usage: rollback <n> (1 = the version before the running one)");
        }
        int n;
        try {
            n = Integer.parseInt(args.getFirst().text());
        } catch (NumberFormatException e) {
            throw new CommandException("\"" + args.getFirst().text() + "\" is not a number of versions");
        }
        report(config.rollback(n, author()), "rollback");
    }

    private void report(CommitResult r, String what) {
        if (r.ok()) {
            println(what + " complete: version " + r.version() + " (" + r.summary() + ")");
            candidate = config.runningTree();
        } else {
            printErrors(what + " failed", r);
        }
    }

    private void printErrors(String what, CommitResult r) {
        println("error: " + what + ": " + r.summary());
        for (ConfigError e : r.errors()) {
            println("error: " + e);
        }
    }

    private void password(List<Words.Word> args) throws CommandException {
        if (args.size() != 1 || !ADMIN_NAME.matcher(args.getFirst().text()).matches()) {
            throw new CommandException("usage: password <admin>, a name of lower-case letters, digits, '_', '.', '-'");
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
        return ConfigPaths.next(candidate, soFar).stream().map(w -> new CommandTree.Choice(w, "")).toList();
    }

    private List<CommandTree.Choice> runningPathChoices(List<String> soFar) {
        return ConfigPaths.next(config.runningTree(), soFar).stream().map(w -> new CommandTree.Choice(w, "")).toList();
    }

    private List<CommandTree.Choice> adminChoices() {
        return config.running().system().admins().stream().map(a -> new CommandTree.Choice(a.name(), "")).toList();
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
        out.flush();
        try {
            terminal.close();
        } catch (java.io.IOException e) {
            Logger.warn("Closing an idle console session: {}", e.getMessage());
        }
    }

    // ---- output --------------------------------------------------------------------------------

    private void print(List<String> lines) {
        lines.forEach(this::println);
    }

    private void println(String s) {
        out.println(s);
    }

    /** For tests and the wiring: whether this session is in configure mode. */
    boolean inConfigure() {
        return inConfigure;
    }
}
