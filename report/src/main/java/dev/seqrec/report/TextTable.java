package dev.seqrec.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A table of strings and numbers, printed either as aligned plain text for the console or as a GitHub markdown
 * table for reports. Numeric columns are right-aligned; floating-point numbers get a fixed number of decimals.
 */
public final class TextTable {
    /** Decimals for floating-point cells unless the caller chooses otherwise; metrics are read to 4 decimals. */
    public static final int DEFAULT_DECIMALS = 4;
    private static final String COLUMN_GAP = "  ";

    private final List<String> headers;
    private final int decimals;
    private final List<String[]> rows = new ArrayList<>();
    private final boolean[] numeric;
    private final boolean[] seen;

    public TextTable(List<String> headers, int decimals) {
        if (headers.isEmpty()) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        if (decimals < 0) {
            throw new IllegalArgumentException("decimals must be >= 0, got " + decimals);
        }
        this.headers = List.copyOf(headers);
        this.decimals = decimals;
        this.numeric = new boolean[headers.size()];
        this.seen = new boolean[headers.size()];
    }

    public TextTable(String... headers) {
        this(Arrays.asList(headers), DEFAULT_DECIMALS);
    }

    /** Adds a row, one cell per column. A column is numeric when all its non-empty cells are numbers. */
    public TextTable addRow(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.size() + " columns");
        }
        String[] row = new String[cells.length];
        for (int c = 0; c < cells.length; c++) {
            Object cell = cells[c];
            row[c] = format(cell);
            if (cell == null) {
                continue;
            }
            boolean isNumber = cell instanceof Number;
            numeric[c] = seen[c] ? numeric[c] && isNumber : isNumber;
            seen[c] = true;
        }
        rows.add(row);
        return this;
    }

    /** Adds a row from a list of cells. */
    public TextTable addRow(List<?> cells) {
        return addRow(cells.toArray());
    }

    public int rowCount() {
        return rows.size();
    }

    /** Plain text: a header line, a dashed rule, then the rows; columns padded to their widest cell. */
    public String toText() {
        int[] widths = widths();
        StringBuilder text = new StringBuilder();
        appendTextLine(text, headers.toArray(String[]::new), widths);
        String[] rule = new String[widths.length];
        for (int c = 0; c < widths.length; c++) {
            rule[c] = "-".repeat(widths[c]);
        }
        appendTextLine(text, rule, widths);
        for (String[] row : rows) {
            appendTextLine(text, row, widths);
        }
        return text.toString();
    }

    /** A GitHub-flavoured markdown table; numeric columns are marked right-aligned. */
    public String toMarkdown() {
        int[] widths = widths();
        StringBuilder text = new StringBuilder();
        appendMarkdownLine(text, headers.toArray(String[]::new), widths);
        text.append('|');
        for (int c = 0; c < widths.length; c++) {
            int dashes = Math.max(3, widths[c]);
            text.append(' ').append(numeric[c] ? "-".repeat(dashes - 1) + ":" : "-".repeat(dashes)).append(" |");
        }
        text.append('\n');
        for (String[] row : rows) {
            appendMarkdownLine(text, row, widths);
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return toText();
    }

    private String format(Object cell) {
        if (cell == null) {
            return "";
        }
        if (cell instanceof Double || cell instanceof Float) {
            double value = ((Number) cell).doubleValue();
            return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : String.valueOf(value);
        }
        return cell.toString();
    }

    private int[] widths() {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = headers.get(c).length();
        }
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        return widths;
    }

    private void appendTextLine(StringBuilder text, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                line.append(COLUMN_GAP);
            }
            line.append(pad(cells[c], widths[c], numeric[c]));
        }
        text.append(line.toString().stripTrailing()).append('\n');
    }

    private void appendMarkdownLine(StringBuilder text, String[] cells, int[] widths) {
        text.append('|');
        for (int c = 0; c < cells.length; c++) {
            String cell = cells[c].replace("|", "\\|");
            text.append(' ').append(pad(cell, Math.max(3, widths[c]), numeric[c])).append(" |");
        }
        text.append('\n');
    }

    private static String pad(String cell, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - cell.length()));
        return right ? fill + cell : cell + fill;
    }
}
