package io.tunnelbox.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The commands of one console mode as a tree of words ({@code show} -> {@code tunnels}), the way
 * network gear parses them: any unique prefix of a word is accepted ({@code sh tun}), a node may
 * take free arguments after its words, and every node carries the one-line help that {@code ?}
 * and tab completion show.
 */
final class CommandTree {
    private final Node root = new Node("", "");

    /** Adds (or finds) the node for {@code words}, e.g. "show tunnels"; returns it for wiring. */
    Node add(String words, String help) {
        Node node = root;
        String[] parts = words.strip().split("\\s+");
        for (int i = 0; i < parts.length; i++) {
            String w = parts[i];
            Node child = node.children.get(w);
            if (child == null) {
                child = new Node(w, i == parts.length - 1 ? help : "");
                node.children.put(w, child);
            } else if (i == parts.length - 1) {
                child.help = help;
            }
            node = child;
        }
        return node;
    }

    Node root() {
        return root;
    }

    /** Runs a command's action with its free arguments. */
    @FunctionalInterface
    interface Action {
        void run(List<Words.Word> args) throws CommandException;
    }

    /** Offers values for a node's free arguments, given those typed so far. */
    @FunctionalInterface
    interface ArgumentCompleter {
        List<Choice> complete(List<String> argsSoFar);
    }

    /** Describes the argument expected next (e.g. {@code <ttl>} with its range), or null for the synopsis. */
    @FunctionalInterface
    interface ArgumentHelp {
        Choice describe(List<String> argsSoFar);
    }

    /** A word that may come next, and what it does. */
    record Choice(String word, String help) {
    }

    static final class Node {
        final String word;
        String help;
        final Map<String, Node> children = new LinkedHashMap<>();
        Action action;
        /** Null when the node takes no arguments; else their synopsis, e.g. "<path...> <value>". */
        String argsSynopsis;
        String argsHelp;
        ArgumentCompleter completer;
        ArgumentHelp describer;

        Node(String word, String help) {
            this.word = word;
            this.help = help;
        }

        Node runs(Action a) {
            this.action = a;
            return this;
        }

        Node takes(String synopsis, String help, ArgumentCompleter c) {
            this.argsSynopsis = synopsis;
            this.argsHelp = help;
            this.completer = c;
            return this;
        }

        Node describes(ArgumentHelp h) {
            this.describer = h;
            return this;
        }

        boolean takesArgs() {
            return argsSynopsis != null;
        }

        /** The next words that may follow this one, with their help, in the order they were added. */
        List<Choice> choices() {
            List<Choice> out = new ArrayList<>();
            children.values().forEach(c -> out.add(new Choice(c.word, c.help)));
            return out;
        }
    }

    /** A line matched against the tree: the node reached, the words that led there, and the rest. */
    record Match(Node node, List<String> path, List<Words.Word> args) {
    }

    /** Matches the words of a line; a bad word gives one clear line with a suggestion. */
    Match resolve(List<Words.Word> words) throws CommandException {
        Node node = root;
        List<String> path = new ArrayList<>();
        int i = 0;
        for (; i < words.size(); i++) {
            if (node.children.isEmpty()) {
                break;
            }
            String w = words.get(i).text();
            Optional<Node> next;
            if (node.takesArgs()) {
                // Where free arguments may follow, only a whole keyword counts ("commit confirmed"),
                // so a comment that starts like one is not taken for it.
                next = Optional.ofNullable(node.children.get(w));
                if (next.isEmpty()) {
                    break;
                }
            } else {
                next = Optional.of(child(node, path, w));
            }
            node = next.get();
            path.add(node.word);
        }
        List<Words.Word> args = List.copyOf(words.subList(i, words.size()));
        if (!args.isEmpty() && !node.takesArgs()) {
            throw new CommandException("unexpected \"" + args.getFirst().text() + "\" after \"" + String.join(" ", path) + "\"");
        }
        if (node.action == null) {
            if (node == root) {
                throw new CommandException("empty command");
            }
            throw new CommandException("incomplete command \"" + String.join(" ", path) + "\": add one of "
                    + String.join(", ", node.children.keySet()));
        }
        return new Match(node, List.copyOf(path), args);
    }

    private static Node child(Node node, List<String> path, String typed) throws CommandException {
        Node exact = node.children.get(typed);
        if (exact != null) {
            return exact;
        }
        List<Node> prefixed = node.children.values().stream().filter(c -> c.word.startsWith(typed)).toList();
        if (prefixed.size() == 1) {
            return prefixed.getFirst();
        }
        String where = path.isEmpty() ? "" : String.join(" ", path) + " ";
        if (prefixed.size() > 1) {
            throw new CommandException("ambiguous command \"" + where + typed + "\": could be "
                    + String.join(", ", prefixed.stream().map(c -> c.word).toList()));
        }
        Optional<String> guess = Suggestions.closest(typed, node.children.keySet());
        if (guess.isPresent()) {
            throw new CommandException("unknown command \"" + where + typed + "\"; did you mean \"" + where + guess.get() + "\"?");
        }
        if (path.isEmpty()) {
            throw new CommandException("unknown command \"" + typed + "\"; type ? for the list of commands");
        }
        throw new CommandException("unknown command \"" + where + typed + "\"; \"" + String.join(" ", path)
                + "\" takes one of " + String.join(", ", node.children.keySet()));
    }

    /**
     * What may come at the end of {@code line} (the text before the cursor): for {@code ?} help
     * and tab completion. A line ending in a blank asks for the next word; otherwise for words
     * that complete the last, partly typed one.
     */
    Help help(String line) {
        List<Words.Word> words;
        try {
            words = Words.split(line);
        } catch (CommandException e) {
            return new Help(List.of(), false, null, null, e.getMessage());
        }
        boolean partial = !line.isEmpty() && !Character.isWhitespace(line.charAt(line.length() - 1)) && !words.isEmpty();
        List<Words.Word> complete = partial ? words.subList(0, words.size() - 1) : words;
        String prefix = partial ? words.getLast().text() : "";
        Node node = root;
        List<String> path = new ArrayList<>();
        int i = 0;
        for (; i < complete.size(); i++) {
            if (node.children.isEmpty()) {
                break;
            }
            String w = complete.get(i).text();
            Node next = node.children.get(w);
            if (next == null && !node.takesArgs()) {
                List<Node> prefixed = node.children.values().stream().filter(c -> c.word.startsWith(w)).toList();
                next = prefixed.size() == 1 ? prefixed.getFirst() : null;
            }
            if (next == null) {
                if (node.takesArgs()) {
                    break;
                }
                return new Help(List.of(), false, null, null, "no command \"" + String.join(" ", path)
                        + (path.isEmpty() ? "" : " ") + w + "\"");
            }
            node = next;
            path.add(node.word);
        }
        List<String> argsSoFar = Words.texts(complete.subList(i, complete.size()));
        List<Choice> choices = new ArrayList<>();
        if (argsSoFar.isEmpty()) {
            for (Choice c : node.choices()) {
                if (c.word().startsWith(prefix)) {
                    choices.add(c);
                }
            }
        }
        List<Choice> argChoices = new ArrayList<>();
        if (node.takesArgs() && node.completer != null) {
            for (Choice c : node.completer.complete(argsSoFar)) {
                if (c.word().startsWith(prefix)) {
                    argChoices.add(c);
                }
            }
        }
        choices.addAll(argChoices);
        boolean canRun = node.action != null && !partial && (argsSoFar.isEmpty() || node.takesArgs());
        Choice described = node.takesArgs() && node.describer != null ? node.describer.describe(argsSoFar) : null;
        if (described != null) {
            return new Help(choices, canRun, described.word(), described.help(), null);
        }
        return new Help(choices, canRun, node.takesArgs() ? node.argsSynopsis : null,
                node.takesArgs() ? node.argsHelp : null, null);
    }

    /**
     * @param choices  words that may come next
     * @param canRun   the line is a whole command already (help shows "<Enter>")
     * @param synopsis the free arguments this point takes, if any
     * @param error    why nothing can follow, if so
     */
    record Help(List<Choice> choices, boolean canRun, String synopsis, String synopsisHelp, String error) {
    }
}
