package io.tunnelbox.console;

import io.tunnelbox.packet.Ipv4Address;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;

/**
 * {@code ping} and {@code traceroute} from the box: bounded (at most {@link #MAX_COUNT} echoes,
 * {@link #MAX_HOPS} hops, a timeout per probe) and stopped at once by Ctrl-C (or q), which is read
 * from the terminal while the probes run.
 */
final class NetworkCommands {
    static final int MAX_COUNT = 100;
    static final int DEFAULT_COUNT = 5;
    static final int MAX_SIZE = 8972;
    static final int MAX_HOPS = 30;
    static final int DEFAULT_HOPS = 15;
    static final Duration PING_TIMEOUT = Duration.ofSeconds(2);
    static final Duration HOP_TIMEOUT = Duration.ofSeconds(1);
    static final int PROBES_PER_HOP = 3;

    private final Probes probes;
    private final Terminal terminal;
    private final PrintWriter out;

    NetworkCommands(Probes probes, Terminal terminal, PrintWriter out) {
        this.probes = probes;
        this.terminal = terminal;
        this.out = out;
    }

    /** The words ping and traceroute take after the address, for ? and Tab. */
    static List<CommandTree.Choice> pingOptions(List<String> soFar) {
        if (soFar.isEmpty()) {
            return List.of();
        }
        String last = soFar.getLast();
        if (last.equals("source")) {
            return List.of(new CommandTree.Choice("lan", "from the LAN address, through the tunnels"),
                    new CommandTree.Choice("wan", "from the WAN address"));
        }
        if (last.equals("count") || last.equals("size") || last.equals("ttl")) {
            return List.of();
        }
        List<CommandTree.Choice> c = new ArrayList<>();
        c.add(new CommandTree.Choice("source", "lan or wan (default lan)"));
        c.add(new CommandTree.Choice("count", "echo requests, 1.." + MAX_COUNT + " (default " + DEFAULT_COUNT + ")"));
        c.add(new CommandTree.Choice("size", "payload bytes, 0.." + MAX_SIZE + " (default 56)"));
        c.add(new CommandTree.Choice("ttl", "time to live, 1..255 (default 64)"));
        c.add(new CommandTree.Choice("df", "set don't-fragment"));
        return c;
    }

    static List<CommandTree.Choice> tracerouteOptions(List<String> soFar) {
        if (soFar.isEmpty()) {
            return List.of();
        }
        if (soFar.getLast().equals("source")) {
            return pingOptions(soFar);
        }
        if (soFar.getLast().equals("max-hops")) {
            return List.of();
        }
        return List.of(new CommandTree.Choice("source", "lan or wan (default lan)"),
                new CommandTree.Choice("max-hops", "1.." + MAX_HOPS + " (default " + DEFAULT_HOPS + ")"));
    }

    void ping(List<Words.Word> args) throws CommandException {
        if (args.isEmpty()) {
            throw new CommandException("usage: ping <address> [source lan|wan] [count N] [size N] [ttl N] [df]");
        }
        String target = address(args.getFirst().text());
        Probes.Source source = Probes.Source.LAN;
        int count = DEFAULT_COUNT;
        int size = 56;
        int ttl = 64;
        boolean df = false;
        for (int i = 1; i < args.size(); i++) {
            String w = args.get(i).text();
            switch (w) {
                case "source" -> source = source(value(args, ++i, "source"));
                case "count" -> count = number(value(args, ++i, "count"), "count", 1, MAX_COUNT);
                case "size" -> size = number(value(args, ++i, "size"), "size", 0, MAX_SIZE);
                case "ttl" -> ttl = number(value(args, ++i, "ttl"), "ttl", 1, 255);
                case "df" -> df = true;
                default -> throw new CommandException("unknown ping option \"" + w + "\": source, count, size, ttl or df");
            }
        }
        out.println("PING " + target + " from " + name(source) + ": " + size + " data bytes, " + count + " echo request"
                + (count == 1 ? "" : "s") + (df ? ", don't fragment" : "") + " (Ctrl-C stops)");
        out.flush();
        int sent = 0;
        int received = 0;
        List<Long> rtts = new ArrayList<>();
        boolean stopped = false;
        long started = System.nanoTime();
        for (int seq = 1; seq <= count && !stopped; seq++) {
            long t0 = System.nanoTime();
            Probes.Request r = new Probes.Request(target, source, size, df, ttl, PING_TIMEOUT);
            Outcome o = probe(r);
            if (o.cancelled()) {
                stopped = true;
                break;
            }
            sent++;
            Probes.Reply reply = o.reply();
            switch (reply.kind()) {
                case ECHO_REPLY -> {
                    received++;
                    rtts.add(reply.micros());
                    out.println((size + 8) + " bytes from " + reply.from() + ": icmp_seq=" + seq + " time=" + ms(reply.micros()) + " ms");
                }
                case TIMEOUT -> out.println("no reply for icmp_seq=" + seq + " within " + PING_TIMEOUT.toSeconds() + " s");
                default -> out.println("from " + (reply.from().isEmpty() ? "?" : reply.from()) + " icmp_seq=" + seq + " "
                        + describe(reply));
            }
            out.flush();
            if (reply.kind() == Probes.Kind.ERROR) {
                break;
            }
            if (seq < count) {
                long left = 1000 - (System.nanoTime() - t0) / 1_000_000;
                stopped = waitOrCancel(Math.max(0, left));
            }
        }
        long elapsed = (System.nanoTime() - started) / 1_000_000;
        out.println("--- " + target + " ping statistics ---");
        int loss = sent == 0 ? 0 : (int) Math.round(100.0 * (sent - received) / sent);
        out.println(sent + " sent, " + received + " received, " + loss + "% loss, time " + elapsed + " ms"
                + (stopped ? " (stopped)" : ""));
        if (!rtts.isEmpty()) {
            long min = rtts.stream().mapToLong(Long::longValue).min().orElse(0);
            long max = rtts.stream().mapToLong(Long::longValue).max().orElse(0);
            long avg = (long) rtts.stream().mapToLong(Long::longValue).average().orElse(0);
            out.println("rtt min/avg/max = " + ms(min) + "/" + ms(avg) + "/" + ms(max) + " ms");
        }
        out.flush();
    }

    void traceroute(List<Words.Word> args) throws CommandException {
        if (args.isEmpty()) {
            throw new CommandException("usage: traceroute <address> [source lan|wan] [max-hops N]");
        }
        String target = address(args.getFirst().text());
        Probes.Source source = Probes.Source.LAN;
        int maxHops = DEFAULT_HOPS;
        for (int i = 1; i < args.size(); i++) {
            String w = args.get(i).text();
            switch (w) {
                case "source" -> source = source(value(args, ++i, "source"));
                case "max-hops" -> maxHops = number(value(args, ++i, "max-hops"), "max-hops", 1, MAX_HOPS);
                default -> throw new CommandException("unknown traceroute option \"" + w + "\": source or max-hops");
            }
        }
        out.println("traceroute to " + target + " from " + name(source) + ", " + maxHops + " hops max, "
                + PROBES_PER_HOP + " probes each (Ctrl-C stops)");
        out.flush();
        for (int hop = 1; hop <= maxHops; hop++) {
            StringBuilder line = new StringBuilder(String.format("%2d ", hop));
            String last = null;
            boolean done = false;
            for (int p = 0; p < PROBES_PER_HOP; p++) {
                Outcome o = probe(new Probes.Request(target, source, 32, false, hop, HOP_TIMEOUT));
                if (o.cancelled()) {
                    out.println(line.toString().stripTrailing());
                    out.println("traceroute stopped");
                    out.flush();
                    return;
                }
                Probes.Reply r = o.reply();
                if (r.kind() == Probes.Kind.TIMEOUT) {
                    line.append(" *");
                    continue;
                }
                if (r.kind() == Probes.Kind.ERROR) {
                    out.println(line + " " + describe(r));
                    out.flush();
                    return;
                }
                if (!r.from().equals(last)) {
                    line.append(' ').append(r.from());
                    last = r.from();
                }
                line.append("  ").append(ms(r.micros())).append(" ms");
                if (r.kind() == Probes.Kind.UNREACHABLE || r.kind() == Probes.Kind.FRAGMENTATION_NEEDED) {
                    line.append(" !").append(describe(r));
                }
                done |= r.kind() != Probes.Kind.TIME_EXCEEDED;
            }
            out.println(line);
            out.flush();
            if (done) {
                return;
            }
        }
    }

    private record Outcome(Probes.Reply reply, boolean cancelled) {
    }

    /** Runs one probe while watching the keyboard for Ctrl-C or q. */
    private Outcome probe(Probes.Request r) {
        CompletableFuture<Probes.Reply> f = new CompletableFuture<>();
        Thread t = Thread.ofVirtual().name("probe").start(() -> {
            try {
                f.complete(probes.echo(r));
            } catch (InterruptedException e) {
                f.complete(Probes.Reply.timeout());
            } catch (RuntimeException e) {
                f.complete(new Probes.Reply(Probes.Kind.ERROR, "", 0, e.getMessage()));
            }
        });
        Attributes saved = RawKeys.enter(terminal);
        try {
            while (!f.isDone()) {
                if (interruptKey(terminal.reader().read(20))) {
                    t.interrupt();
                    out.println("^C");
                    return new Outcome(null, true);
                }
            }
            return new Outcome(f.get(), false);
        } catch (IOException | ExecutionException e) {
            return new Outcome(new Probes.Reply(Probes.Kind.ERROR, "", 0, String.valueOf(e.getMessage())), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            t.interrupt();
            return new Outcome(null, true);
        } finally {
            terminal.setAttributes(saved);
        }
    }

    /** Waits between echoes; true when the admin pressed Ctrl-C meanwhile. */
    private boolean waitOrCancel(long millis) {
        Attributes saved = RawKeys.enter(terminal);
        try {
            long end = System.nanoTime() + millis * 1_000_000;
            while (System.nanoTime() < end) {
                long left = Math.max(1, (end - System.nanoTime()) / 1_000_000);
                if (interruptKey(terminal.reader().read(Math.min(left, 100)))) {
                    out.println("^C");
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            terminal.setAttributes(saved);
        }
    }

    /** Ctrl-C, q, or the line gone (end of input) stop a probe run. */
    private static boolean interruptKey(int c) {
        return c == 3 || c == 'q' || c == -1;
    }

    private static String describe(Probes.Reply r) {
        return switch (r.kind()) {
            case TIME_EXCEEDED -> "time to live exceeded";
            case UNREACHABLE -> "destination unreachable" + (r.detail().isEmpty() ? "" : " (" + r.detail() + ")");
            case FRAGMENTATION_NEEDED -> "fragmentation needed" + (r.detail().isEmpty() ? "" : " (" + r.detail() + ")");
            case ERROR -> "error: " + r.detail();
            default -> r.kind().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
    }

    private static String name(Probes.Source s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private static String address(String text) throws CommandException {
        if (!Ipv4Address.isValid(text)) {
            throw new CommandException("\"" + text + "\" is not an IPv4 address");
        }
        return text;
    }

    private static String value(List<Words.Word> args, int i, String option) throws CommandException {
        if (i >= args.size()) {
            throw new CommandException("\"" + option + "\" needs a value");
        }
        return args.get(i).text();
    }

    private static Probes.Source source(String s) throws CommandException {
        return switch (s) {
            case "lan" -> Probes.Source.LAN;
            case "wan" -> Probes.Source.WAN;
            default -> throw new CommandException("source is lan or wan, not \"" + s + "\"");
        };
    }

    private static int number(String s, String what, int min, int max) throws CommandException {
        try {
            int n = Integer.parseInt(s);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the error
        }
        throw new CommandException(what + " is " + min + ".." + max + ", not \"" + s + "\"");
    }
}
