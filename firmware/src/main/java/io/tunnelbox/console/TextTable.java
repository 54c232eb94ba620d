package io.tunnelbox.console;

import java.util.ArrayList;
import java.util.List;

/**
 * Fixed-width columns for an 80-column serial terminal: text left-aligned, numbers right-aligned.
 * A row that would be wider than the terminal shortens its widest text column, marking cut cells
 * with {@code ~}, so no line wraps (detail views show the whole value).
 */
final class TextTable {
    /** A serial terminal's width. */
    static final int WIDTH = 80;
    private static final int MIN_COLUMN = 8;

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();
    private final boolean[] numeric;
    /** Columns cut only when no other text column can give more room. */
    private final boolean[] keep;

    TextTable(String... headers) {
        this.headers = List.of(headers);
        this.numeric = new boolean[headers.length];
        this.keep = new boolean[headers.length];
    }

    /** Marks columns (by index) that hold numbers. */
    TextTable numeric(int... columns) {
        for (int c : columns) {
            numeric[c] = true;
        }
        return this;
    }

    /** Marks columns (by index) that matter most: other text columns are narrowed first. */
    TextTable keep(int... columns) {
        for (int c : columns) {
            keep[c] = true;
        }
        return this;
    }

    TextTable row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.size() + " columns");
        }
        List<String> r = new ArrayList<>(cells.length);
        for (Object c : cells) {
            r.add(String.valueOf(c));
        }
        rows.add(r);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    List<String> lines() {
        int[] width = new int[headers.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = headers.get(c).length();
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        fit(width);
        List<String> out = new ArrayList<>();
        out.add(format(headers, width, false));
        for (List<String> r : rows) {
            out.add(format(r, width, true));
        }
        return out;
    }

    /** Narrows the widest text columns until a line fits {@link #WIDTH}. */
    private void fit(int[] width) {
        int total = 2 * (width.length - 1);
        for (int w : width) {
            total += w;
        }
        while (total > WIDTH) {
            int widest = widestToNarrow(width, false);
            if (widest < 0) {
                widest = widestToNarrow(width, true);
            }
            if (widest < 0) {
                return; // numbers are never cut; nothing left to narrow
            }
            int floor = Math.max(MIN_COLUMN, headers.get(widest).length());
            int cut = Math.min(total - WIDTH, width[widest] - floor);
            width[widest] -= cut;
            total -= cut;
        }
    }

    private int widestToNarrow(int[] width, boolean kept) {
        int widest = -1;
        for (int c = 0; c < width.length; c++) {
            int floor = Math.max(MIN_COLUMN, headers.get(c).length());
            if (!numeric[c] && keep[c] == kept && width[c] > floor && (widest < 0 || width[c] > width[widest])) {
                widest = c;
            }
        }
        return widest;
    }

    private String format(List<String> cells, int[] width, boolean alignNumbers) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            if (c > 0) {
                b.append("  ");
            }
            String s = cells.get(c);
            if (s.length() > width[c]) {
                s = s.substring(0, width[c] - 1) + "~";
            }
            String pad = " ".repeat(width[c] - s.length());
            if (alignNumbers && numeric[c]) {
                b.append(pad).append(s);
            } else {
                b.append(s).append(c == width.length - 1 ? "" : pad);
            }
        }
        return b.toString().stripTrailing();
    }
}
