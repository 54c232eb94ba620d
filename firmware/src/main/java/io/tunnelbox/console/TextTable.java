package io.tunnelbox.console;

import java.util.ArrayList;
import java.util.List;

/** Fixed-width columns for an 80-column serial terminal: text left-aligned, numbers right-aligned. */
final class TextTable {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();
    private final boolean[] numeric;

    TextTable(String... headers) {
        this.headers = List.of(headers);
        this.numeric = new boolean[headers.length];
    }

    /** Marks columns (by index) that hold numbers. */
    TextTable numeric(int... columns) {
        for (int c : columns) {
            numeric[c] = true;
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
        List<String> out = new ArrayList<>();
        out.add(format(headers, width, false));
        for (List<String> r : rows) {
            out.add(format(r, width, true));
        }
        return out;
    }

    private String format(List<String> cells, int[] width, boolean alignNumbers) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            if (c > 0) {
                b.append("  ");
            }
            String s = cells.get(c);
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
