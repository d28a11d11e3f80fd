package dev.seqrec.report;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A CSV file of named columns written row by row, such as {@code epoch,loss,valid_mrr@10}. Each row is flushed
 * as it is appended, so a long run's file can be read (or charted) while the run goes on and survives a crash.
 * Numbers are written in full precision with '.' as decimal point; text is quoted when RFC 4180 requires it.
 */
public final class CsvSeries implements Closeable {
    private final Path file;
    private final List<String> columns;
    private final BufferedWriter out;

    private CsvSeries(Path file, List<String> columns, BufferedWriter out) {
        this.file = file;
        this.columns = columns;
        this.out = out;
    }

    /** Creates (or truncates) {@code file} and writes the header line. */
    public static CsvSeries create(Path file, List<String> columns) throws IOException {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a CSV series needs at least one column");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        CsvSeries series = new CsvSeries(file, List.copyOf(columns), out);
        series.writeLine(columns.toArray());
        return series;
    }

    public static CsvSeries create(Path file, String... columns) throws IOException {
        return create(file, Arrays.asList(columns));
    }

    public List<String> columns() {
        return columns;
    }

    public Path file() {
        return file;
    }

    /** Appends one row, one value per column, and flushes it to disk. */
    public void append(Object... values) throws IOException {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException(file + ": row has " + values.length + " values, series has "
                    + columns.size() + " columns " + columns);
        }
        writeLine(values);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private void writeLine(Object[] values) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(cell(values[i]));
        }
        out.write(line.append('\n').toString());
        out.flush();
    }

    static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
