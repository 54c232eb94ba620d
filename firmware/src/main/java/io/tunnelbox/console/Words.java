package io.tunnelbox.console;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a console line into words: blanks separate, double quotes group (so a commit comment or a
 * value may hold spaces), a backslash inside quotes escapes the next character.
 */
final class Words {
    private Words() {
    }

    /** A word, and whether it was quoted (a quoted {@code "5000"} stays a string). */
    record Word(String text, boolean quoted) {
    }

    static List<Word> split(String line) throws CommandException {
        List<Word> words = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inWord = false;
        boolean quoted = false;
        boolean inQuotes = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (inQuotes) {
                if (c == '\\' && i + 1 < line.length()) {
                    current.append(line.charAt(++i));
                } else if (c == '"') {
                    inQuotes = false;
                } else {
                    current.append(c);
                }
            } else if (c == '"') {
                inQuotes = true;
                inWord = true;
                quoted = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(new Word(current.toString(), quoted));
                    current.setLength(0);
                    inWord = false;
                    quoted = false;
                }
            } else {
                current.append(c);
                inWord = true;
            }
        }
        if (inQuotes) {
            throw new CommandException("unterminated quote in: " + line.strip());
        }
        if (inWord) {
            words.add(new Word(current.toString(), quoted));
        }
        return words;
    }

    static List<String> texts(List<Word> words) {
        return words.stream().map(Word::text).toList();
    }
}
