package io.tunnelbox.console;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The pipes after a command, as on Junos: {@code | match text}, {@code | except text},
 * {@code | count}, {@code | no-more}. Match and except take a regular expression, case-insensitive.
 */
final class OutputFilter {
    /** The filter words with their help, for {@code ?} and Tab after a {@code |}. */
    static final List<CommandTree.Choice> CHOICES = List.of(
            new CommandTree.Choice("match", "only lines matching a pattern (regular expression)"),
            new CommandTree.Choice("except", "lines not matching a pattern"),
            new CommandTree.Choice("count", "how many lines there are"),
            new CommandTree.Choice("no-more", "no --More-- pager"));

    /** A command line split at its unquoted bars. */
    record Split(String command, List<List<Words.Word>> pipes) {
    }

    private OutputFilter() {
    }

    /** Splits {@code show flows | match arp | count} into the command and its pipes. */
    static Split split(String line) throws CommandException {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"' && (i == 0 || line.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (c == '|' && !quoted) {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        List<List<Words.Word>> pipes = new ArrayList<>();
        for (String p : parts.subList(1, parts.size())) {
            List<Words.Word> words = Words.split(p);
            if (words.isEmpty()) {
                throw new CommandException("nothing after \"|\": use match, except, count or no-more");
            }
            pipes.add(words);
        }
        return new Split(parts.getFirst(), pipes);
    }

    /** Applies the pipes; returns the lines and whether the pager stays on. */
    static Result apply(List<String> lines, List<List<Words.Word>> pipes) throws CommandException {
        List<String> out = lines;
        boolean page = true;
        for (List<Words.Word> pipe : pipes) {
            String word = pipe.getFirst().text();
            String verb = resolve(word);
            String arg = String.join(" ", Words.texts(pipe.subList(1, pipe.size())));
            switch (verb) {
                case "match", "except" -> {
                    if (arg.isEmpty()) {
                        throw new CommandException("| " + verb + " needs a pattern, e.g. | " + verb + " gre1");
                    }
                    Pattern p = pattern(arg);
                    boolean keep = verb.equals("match");
                    out = out.stream().filter(l -> p.matcher(l).find() == keep).toList();
                }
                case "count" -> out = List.of("Count: " + out.size() + " line" + (out.size() == 1 ? "" : "s"));
                case "no-more" -> page = false;
                default -> throw new IllegalStateException(verb);
            }
            if (!verb.equals("match") && !verb.equals("except") && !arg.isEmpty()) {
                throw new CommandException("| " + verb + " takes nothing after it, found \"" + arg + "\"");
            }
        }
        return new Result(out, page);
    }

    record Result(List<String> lines, boolean page) {
    }

    private static String resolve(String word) throws CommandException {
        List<String> hits = CHOICES.stream().map(CommandTree.Choice::word).filter(w -> w.startsWith(word)).toList();
        if (hits.size() == 1) {
            return hits.getFirst();
        }
        if (CHOICES.stream().anyMatch(c -> c.word().equals(word))) {
            return word;
        }
        throw new CommandException("unknown filter \"| " + word + "\": use match, except, count or no-more");
    }

    private static Pattern pattern(String arg) throws CommandException {
        try {
            return Pattern.compile(arg, Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw new CommandException("\"" + arg + "\" is not a valid pattern: " + e.getDescription());
        }
    }
}
