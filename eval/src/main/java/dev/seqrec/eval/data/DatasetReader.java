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
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Reads interaction files into {@link SequenceDataset}s or hands their interactions to a handler.
 *
 * <p>Files are read line by line into compact arrays; a bad row stops the read with a {@link DatasetFormatException}
 * naming the file and line, before any result is built or any interaction is handed out. User and item ids are
 * mapped to dense ids in order of first appearance in the file. Within a user, interactions are ordered by timestamp
 * when the file has one (ties keep file order), else they keep file order. Blank lines carry nothing and are skipped
 * (a trailing one is what most editors leave).
 */
public final class DatasetReader {
    /** Column names of RecBole atomic files. */
    private static final String INTER_USER = "user_id";
    private static final String INTER_ITEM = "item_id";
    private static final String INTER_TIME = "timestamp";
    /** Header names recognised in the first line of a CSV file. */
    private static final Set<String> CSV_USER_NAMES = Set.of("user", "user_id", "userid");
    private static final Set<String> CSV_ITEM_NAMES = Set.of("item", "item_id", "itemid");
    private static final Set<String> CSV_TIME_NAMES = Set.of("timestamp", "time", "ts");
    private static final double NO_TIMESTAMP = Double.NaN;
    private static final int BYTE_ORDER_MARK = 0xFEFF;

    private DatasetReader() {
    }

    /** Reads {@code file} with the format given by its extension and no filtering. */
    public static SequenceDataset read(Path file) throws IOException {
        return read(file, ReadOptions.DEFAULTS);
    }

    public static SequenceDataset read(Path file, ReadOptions options) throws IOException {
        return load(file, options).toDataset(datasetName(file));
    }

    /**
     * Hands every interaction of {@code file} to {@code handler}: users in order of first appearance, each user's
     * interactions in time order (file order when the file has no timestamps). Nothing is handed out if the file
     * has a bad row.
     */
    public static void forEachInteraction(Path file, InteractionHandler handler) throws IOException {
        forEachInteraction(file, ReadOptions.DEFAULTS, handler);
    }

    public static void forEachInteraction(Path file, ReadOptions options, InteractionHandler handler) throws IOException {
        InteractionLog log = load(file, options);
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

    private static InteractionLog load(Path file, ReadOptions options) throws IOException {
        DatasetFormat format = options.format().orElseGet(() -> DatasetFormat.ofFile(file));
        InteractionLog log;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            skipByteOrderMark(in);
            log = switch (format) {
                case SEQUENCE_TEXT -> readSequenceText(file, in);
                case ATOMIC_INTER -> readAtomicInter(file, in);
                case CSV -> readCsv(file, in);
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

    private static InteractionLog readSequenceText(Path file, BufferedReader in) throws IOException {
        InteractionLog log = new InteractionLog(false);
        String line;
        long number = 0;
        while ((line = in.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            String[] tokens = line.strip().split("\\s+");
            if (tokens.length < 2) {
                throw new DatasetFormatException(file, number, "user '" + tokens[0] + "' has no items; expected 'user item item ...'");
            }
            if (log.users().id(tokens[0]) != IdMapping.UNKNOWN) {
                throw new DatasetFormatException(file, number, "user '" + tokens[0] + "' already has a line; each user must have exactly one");
            }
            for (int t = 1; t < tokens.length; t++) {
                log.add(tokens[0], tokens[t], NO_TIMESTAMP);
            }
        }
        return log;
    }

    private static InteractionLog readAtomicInter(Path file, BufferedReader in) throws IOException {
        String header = in.readLine();
        if (header == null) {
            throw new DatasetFormatException(file, 1, "empty file; expected a header such as 'user_id:token<TAB>item_id:token'");
        }
        String[] columns = header.split("\t", -1);
        int user = -1;
        int item = -1;
        int time = -1;
        for (int c = 0; c < columns.length; c++) {
            String column = columns[c].strip();
            int colon = column.indexOf(':');
            if (colon <= 0) {
                throw new DatasetFormatException(file, 1, "header field '" + column + "' is not 'name:type'");
            }
            switch (column.substring(0, colon)) {
                case INTER_USER -> user = c;
                case INTER_ITEM -> item = c;
                case INTER_TIME -> time = c;
                default -> { } // other columns (rating, ...) are not used
            }
        }
        if (user < 0 || item < 0) {
            throw new DatasetFormatException(file, 1, "header lacks " + (user < 0 ? INTER_USER : INTER_ITEM)
                    + "; expected columns " + INTER_USER + ":token and " + INTER_ITEM + ":token (tab separated)");
        }
        InteractionLog log = new InteractionLog(time >= 0);
        String line;
        long number = 1;
        while ((line = in.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            if (fields.length != columns.length) {
                throw new DatasetFormatException(file, number, "expected " + columns.length + " tab-separated fields, found " + fields.length);
            }
            String userId = required(file, number, fields[user], INTER_USER);
            String itemId = required(file, number, fields[item], INTER_ITEM);
            double timestamp = time >= 0 ? timestamp(file, number, fields[time]) : NO_TIMESTAMP;
            log.add(userId, itemId, timestamp);
        }
        return log;
    }

    private static InteractionLog readCsv(Path file, BufferedReader in) throws IOException {
        String first = in.readLine();
        if (first == null) {
            throw new DatasetFormatException(file, 1, "empty file; expected 'user,item[,timestamp]' rows");
        }
        List<String> firstFields = csvFields(file, 1, first);
        int width = firstFields.size();
        if (width != 2 && width != 3) {
            throw new DatasetFormatException(file, 1, "expected 2 or 3 comma-separated fields (user,item[,timestamp]), found " + width);
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
                if (CSV_USER_NAMES.contains(name)) {
                    user = c;
                } else if (CSV_ITEM_NAMES.contains(name)) {
                    item = c;
                } else if (CSV_TIME_NAMES.contains(name)) {
                    time = c;
                } else {
                    throw new DatasetFormatException(file, 1, "unknown header column '" + firstFields.get(c)
                            + "'; expected user, item and optionally timestamp");
                }
            }
            if (user < 0 || item < 0) {
                throw new DatasetFormatException(file, 1, "header needs both a user and an item column");
            }
        }
        InteractionLog log = new InteractionLog(time >= 0);
        if (!hasHeader) {
            addCsvRow(file, 1, firstFields, width, user, item, time, log);
        }
        String line;
        long number = 1;
        while ((line = in.readLine()) != null) {
            number++;
            if (!line.isBlank()) {
                addCsvRow(file, number, csvFields(file, number, line), width, user, item, time, log);
            }
        }
        return log;
    }

    private static void addCsvRow(Path file, long number, List<String> fields, int width, int user, int item, int time,
                                  InteractionLog log) throws DatasetFormatException {
        if (fields.size() != width) {
            throw new DatasetFormatException(file, number, "expected " + width + " comma-separated fields, found " + fields.size());
        }
        String userId = required(file, number, fields.get(user), "user");
        String itemId = required(file, number, fields.get(item), "item");
        double timestamp = time >= 0 ? timestamp(file, number, fields.get(time)) : NO_TIMESTAMP;
        log.add(userId, itemId, timestamp);
    }

    /** Splits one CSV line; fields may be double-quoted with "" for a quote. Surrounding spaces are dropped. */
    private static List<String> csvFields(Path file, long number, String line) throws DatasetFormatException {
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
            throw new DatasetFormatException(file, number, "unterminated quoted field");
        }
        fields.add(field.toString().strip());
        return fields;
    }

    private static String required(Path file, long number, String value, String column) throws DatasetFormatException {
        String id = value.strip();
        if (id.isEmpty()) {
            throw new DatasetFormatException(file, number, "empty " + column);
        }
        return id;
    }

    private static double timestamp(Path file, long number, String value) throws DatasetFormatException {
        try {
            double timestamp = Double.parseDouble(value.strip());
            if (!Double.isFinite(timestamp)) {
                throw new NumberFormatException();
            }
            return timestamp;
        } catch (NumberFormatException e) {
            throw new DatasetFormatException(file, number, "timestamp '" + value.strip() + "' is not a finite number");
        }
    }
}
