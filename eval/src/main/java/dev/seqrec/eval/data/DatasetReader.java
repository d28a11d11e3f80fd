package dev.seqrec.eval.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads interaction files into {@link SequenceDataset}s or hands their interactions to a handler.
 *
 * <p>Files are read line by line into compact arrays; a bad row stops the read with a {@link DatasetFormatException}
 * naming the file and line, before any result is built or any interaction is handed out. User and item ids are
 * mapped to dense ids in order of first appearance in the file. Within a user, interactions are ordered by timestamp
 * when the file has one (ties keep file order), else they keep file order. Blank lines carry nothing and are skipped
 * wherever they are, before a header too (a trailing one is what most editors leave); line numbers in errors count
 * them. A header names each column once; {@code .inter} user and item columns have type {@code token}. Timestamps are
 * plain decimal numbers ({@code 1700000000}, {@code 1.7e9}).
 */
public final class DatasetReader {
    /** Column names of RecBole atomic files. */
    private static final String INTER_USER = "user_id";
    private static final String INTER_ITEM = "item_id";
    private static final String INTER_TIME = "timestamp";
    /** The RecBole type of a single id; {@code token_seq} holds several, separated by spaces. */
    private static final String INTER_TOKEN = "token";
    /** Header names recognised in the first line of a CSV file. */
    private static final Set<String> CSV_USER_NAMES = Set.of("user", "user_id", "userid");
    private static final Set<String> CSV_ITEM_NAMES = Set.of("item", "item_id", "itemid");
    private static final Set<String> CSV_TIME_NAMES = Set.of("timestamp", "time", "ts");
    private static final double NO_TIMESTAMP = Double.NaN;
    /**
     * A plain decimal number: digits with an optional sign, point and exponent. Not what {@link Double#parseDouble}
     * also takes (Java's type suffixes such as {@code 5f} or {@code 1d}, hexadecimal such as {@code 0x1p1},
     * {@code NaN}, {@code Infinity}), which no data file means.
     */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final int BYTE_ORDER_MARK = 0xFEFF;

    private DatasetReader() {
    }

    /** Reads {@code file} with the format given by its extension and no filtering. */
    public static SequenceDataset read(Path file) throws IOException {
        return read(file, ReadOptions.DEFAULTS);
    }

    /**
     * Reads {@code file} into sequences. Ids must also be single tokens: no whitespace, control or invisible characters (the
     * rule of {@code seqrec import}), so that any dataset can be written back as {@code .txt}; such an id is a bad row.
     */
    public static SequenceDataset read(Path file, ReadOptions options) throws IOException {
        return load(file, options, true).toDataset(datasetName(file));
    }

    /**
     * Hands every interaction of {@code file} to {@code handler}: users in order of first appearance, each user's
     * interactions in time order (file order when the file has no timestamps). Nothing is handed out if the file
     * has a bad row. Ids are handed out as written (surrounding spaces dropped): a caller such as the importer checks
     * them by its own rules, which it can name.
     */
    public static void forEachInteraction(Path file, InteractionHandler handler) throws IOException {
        forEachInteraction(file, ReadOptions.DEFAULTS, handler);
    }

    public static void forEachInteraction(Path file, ReadOptions options, InteractionHandler handler) throws IOException {
        InteractionLog log = load(file, options, false);
        for (int[] rows : log.rowsByUser()) {
            for (int row : rows) {
                OptionalDouble timestamp = log.timed() ? OptionalDouble.of(log.timestamp(row)) : OptionalDouble.empty();
                handler.interaction(log.externalUser(row), log.externalItem(row), timestamp);
            }
        }
    }

    /** The file name without its extension, used as the dataset's name in reports. */
    public static String datasetName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static InteractionLog load(Path file, ReadOptions options, boolean tokenIds) throws IOException {
        DatasetFormat format = options.format().orElseGet(() -> DatasetFormat.ofFile(file));
        InteractionLog log;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            skipByteOrderMark(in);
            Lines lines = new Lines(file, in, tokenIds);
            log = switch (format) {
                case SEQUENCE_TEXT -> readSequenceText(lines);
                case ATOMIC_INTER -> readAtomicInter(lines);
                case CSV -> readCsv(lines);
            };
        } catch (DatasetFormatException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        } catch (AccessDeniedException e) {
            throw new AccessDeniedException(file.toString(), null, "permission denied");
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not valid UTF-8 text", e);
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (log.size() == 0) {
            throw new DatasetFormatException(file, 1, "no interactions in the file");
        }
        if (options.filters()) {
            log.kCore(options.minUserInteractions(), options.minItemInteractions());
            if (log.size() == 0) {
                throw new IOException(file + ": the " + options.minUserInteractions() + "/" + options.minItemInteractions()
                        + " k-core filter removed every interaction");
            }
        }
        return log;
    }

    /** Windows tools start UTF-8 files with U+FEFF, which Java's decoder keeps: it would join the first id. */
    private static void skipByteOrderMark(BufferedReader in) throws IOException {
        in.mark(1);
        if (in.read() != BYTE_ORDER_MARK) {
            in.reset();
        }
    }

    /** A file's lines with their 1-based numbers, and the rules its ids follow. */
    private static final class Lines {
        final Path file;
        final boolean tokenIds;
        private final BufferedReader in;
        /** Number of the line {@link #next} returned last. */
        long number;

        Lines(Path file, BufferedReader in, boolean tokenIds) {
            this.file = file;
            this.in = in;
            this.tokenIds = tokenIds;
        }

        /** The next line that is not blank, or null at the end of the file. */
        String next() throws IOException {
            String line;
            do {
                line = in.readLine();
                number++;
            } while (line != null && line.isBlank());
            return line;
        }

        DatasetFormatException error(String problem) {
            return new DatasetFormatException(file, number, problem);
        }
    }

    private static InteractionLog readSequenceText(Lines lines) throws IOException {
        InteractionLog log = new InteractionLog(false);
        String line;
        while ((line = lines.next()) != null) {
            String[] tokens = line.strip().split("\\s+");
            if (tokens.length < 2) {
                throw lines.error("user '" + tokens[0] + "' has no items; expected 'user item item ...'");
            }
            if (log.users().id(tokens[0]) != IdMapping.UNKNOWN) {
                throw lines.error("user '" + tokens[0] + "' already has a line; each user must have exactly one");
            }
            checkId(lines, tokens[0], "user");
            for (int t = 1; t < tokens.length; t++) {
                checkId(lines, tokens[t], "item");
                log.add(tokens[0], tokens[t], NO_TIMESTAMP);
            }
        }
        return log;
    }

    private static InteractionLog readAtomicInter(Lines lines) throws IOException {
        String header = lines.next();
        if (header == null) {
            throw new DatasetFormatException(lines.file, 1,
                    "empty file; expected a header such as 'user_id:token<TAB>item_id:token'");
        }
        String[] columns = header.split("\t", -1);
        int user = -1;
        int item = -1;
        int time = -1;
        Set<String> names = new HashSet<>();
        for (int c = 0; c < columns.length; c++) {
            String column = columns[c].strip();
            int colon = column.indexOf(':');
            if (colon <= 0) {
                throw lines.error("header field '" + column + "' is not 'name:type'");
            }
            String name = column.substring(0, colon);
            String type = column.substring(colon + 1);
            if (!names.add(name)) {
                throw lines.error("duplicate column '" + name + "'");
            }
            switch (name) {
                case INTER_USER -> user = c;
                case INTER_ITEM -> item = c;
                case INTER_TIME -> time = c;
                default -> { } // other columns (rating, ...) are not used
            }
            if ((c == user || c == item) && !type.equals(INTER_TOKEN)) {
                throw lines.error(name + " has type " + type + "; expected " + INTER_TOKEN + " (one id per row)");
            }
        }
        if (user < 0 || item < 0) {
            throw lines.error("header lacks " + (user < 0 ? INTER_USER : INTER_ITEM)
                    + "; expected columns " + INTER_USER + ":token and " + INTER_ITEM + ":token (tab separated)");
        }
        InteractionLog log = new InteractionLog(time >= 0);
        String line;
        while ((line = lines.next()) != null) {
            String[] fields = line.split("\t", -1);
            if (fields.length != columns.length) {
                throw lines.error("expected " + columns.length + " tab-separated fields, found " + fields.length);
            }
            String userId = required(lines, fields[user], INTER_USER);
            String itemId = required(lines, fields[item], INTER_ITEM);
            double timestamp = time >= 0 ? timestamp(lines, fields[time]) : NO_TIMESTAMP;
            log.add(userId, itemId, timestamp);
        }
        return log;
    }

    private static InteractionLog readCsv(Lines lines) throws IOException {
        String first = lines.next();
        if (first == null) {
            throw new DatasetFormatException(lines.file, 1, "empty file; expected 'user,item[,timestamp]' rows");
        }
        List<String> firstFields = csvFields(lines, first);
        int width = firstFields.size();
        if (width != 2 && width != 3) {
            throw lines.error("expected 2 or 3 comma-separated fields (user,item[,timestamp]), found " + width);
        }
        int user = 0;
        int item = 1;
        int time = width == 3 ? 2 : -1;
        boolean hasHeader = firstFields.stream().map(f -> f.toLowerCase(Locale.ROOT))
                .anyMatch(f -> CSV_USER_NAMES.contains(f) || CSV_ITEM_NAMES.contains(f));
        if (hasHeader) {
            user = item = time = -1;
            for (int c = 0; c < width; c++) {
                String name = firstFields.get(c).toLowerCase(Locale.ROOT);
                int previous;
                if (CSV_USER_NAMES.contains(name)) {
                    previous = user;
                    user = c;
                } else if (CSV_ITEM_NAMES.contains(name)) {
                    previous = item;
                    item = c;
                } else if (CSV_TIME_NAMES.contains(name)) {
                    previous = time;
                    time = c;
                } else {
                    throw lines.error("unknown header column '" + firstFields.get(c)
                            + "'; expected user, item and optionally timestamp");
                }
                if (previous >= 0) {
                    throw lines.error("duplicate column '" + firstFields.get(c) + "' (column " + (c + 1)
                            + " names what column " + (previous + 1) + ", '" + firstFields.get(previous) + "', names)");
                }
            }
            if (user < 0 || item < 0) {
                throw lines.error("header needs both a user and an item column");
            }
        }
        InteractionLog log = new InteractionLog(time >= 0);
        if (!hasHeader) {
            addCsvRow(lines, firstFields, width, user, item, time, log);
        }
        String line;
        while ((line = lines.next()) != null) {
            addCsvRow(lines, csvFields(lines, line), width, user, item, time, log);
        }
        return log;
    }

    private static void addCsvRow(Lines lines, List<String> fields, int width, int user, int item, int time,
                                  InteractionLog log) throws DatasetFormatException {
        if (fields.size() != width) {
            throw lines.error("expected " + width + " comma-separated fields, found " + fields.size());
        }
        String userId = required(lines, fields.get(user), "user");
        String itemId = required(lines, fields.get(item), "item");
        double timestamp = time >= 0 ? timestamp(lines, fields.get(time)) : NO_TIMESTAMP;
        log.add(userId, itemId, timestamp);
    }

    /** Splits one CSV line; fields may be double-quoted with "" for a quote. Surrounding spaces are dropped. */
    private static List<String> csvFields(Lines lines, String line) throws DatasetFormatException {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString().strip());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw lines.error("unterminated quoted field");
        }
        fields.add(field.toString().strip());
        return fields;
    }

    private static String required(Lines lines, String value, String column) throws DatasetFormatException {
        String id = value.strip();
        if (id.isEmpty()) {
            throw lines.error("empty " + column);
        }
        checkId(lines, id, column);
        return id;
    }

    /** Where ids must be single tokens: refuses one with whitespace, control or invisible characters inside. */
    private static void checkId(Lines lines, String id, String column) throws DatasetFormatException {
        if (!lines.tokenIds) {
            return;
        }
        if (IdCharacters.firstRefused(id) >= 0) {
            throw lines.error(column + " " + quoted(id) + " contains whitespace, control or invisible characters; an id "
                    + "must be a single token");
        }
    }

    /** The id in quotes, with what a terminal would not show (controls, tabs, other spaces than ' ') escaped. */
    private static String quoted(String id) {
        StringBuilder out = new StringBuilder("'");
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (IdCharacters.refused(c) && c != ' ') {
                out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('\'').toString();
    }

    private static double timestamp(Lines lines, String value) throws DatasetFormatException {
        String text = value.strip();
        if (DECIMAL.matcher(text).matches()) {
            double timestamp = Double.parseDouble(text);
            if (Double.isFinite(timestamp)) {
                return timestamp + 0.0; // -0 becomes 0: the time sort's Double.compare would put it first, not in file order
            }
        }
        throw lines.error("timestamp '" + text + "' is not a finite number");
    }
}
