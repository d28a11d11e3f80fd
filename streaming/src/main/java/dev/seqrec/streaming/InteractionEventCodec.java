package dev.seqrec.streaming;

import dev.seqrec.eval.data.IdCharacters;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The event format on the topic: a JSON object {@code {"user": "u-1", "item": "sku-9", "ts": 1732440000000,
 * "type": "view"}} keyed by the user id; {@code ts} (epoch milliseconds) and {@code type} are optional, other
 * fields are ignored. Ids must be non-empty, valid Unicode, at most {@code maxIdBytes} UTF-8 bytes and free of
 * whitespace (the .txt export separates ids with spaces).
 */
public final class InteractionEventCodec {
    public static final int DEFAULT_MAX_ID_BYTES = 256;
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private static final JsonFactory JSON = new JsonFactory();

    private final int maxIdBytes;

    public InteractionEventCodec(int maxIdBytes) {
        if (maxIdBytes < 1) {
            throw new IllegalArgumentException("maxIdBytes must be at least 1, got " + maxIdBytes);
        }
        this.maxIdBytes = maxIdBytes;
    }

    /** The JSON value for an interaction; {@code ts} is written when positive, {@code type} when present. */
    public static byte[] encode(Interaction interaction) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("user", interaction.user());
            json.writeStringField("item", interaction.item());
            if (interaction.timestampMillis() > 0) {
                json.writeNumberField("ts", interaction.timestampMillis());
            }
            if (interaction.type() != null) {
                json.writeStringField("type", interaction.type());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a record. {@code recordTimestamp} (the broker's time) stands in for a missing {@code ts}. The key must
     * be the user id: it decides the partition, and so keeps each user's events in one partition, in order.
     */
    public Interaction decode(byte[] key, byte[] value, long recordTimestamp) throws MalformedEventException {
        if (value == null || value.length == 0) {
            throw new MalformedEventException("empty value");
        }
        String user = null;
        String item = null;
        String type = null;
        long ts = recordTimestamp;
        try (JsonParser json = JSON.createParser(value)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedEventException("value is not a JSON object");
            }
            for (JsonToken token = json.nextToken(); token != JsonToken.END_OBJECT; token = json.nextToken()) {
                String field = json.currentName();
                JsonToken fieldValue = json.nextToken();
                switch (field) {
                    case "user" -> user = id(json, fieldValue, "user");
                    case "item" -> item = id(json, fieldValue, "item");
                    case "ts" -> {
                        if (fieldValue == JsonToken.VALUE_NUMBER_INT && json.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                                && json.getLongValue() >= 0) {
                            ts = json.getLongValue();
                        } else if (fieldValue != JsonToken.VALUE_NULL) {
                            throw new MalformedEventException("\"ts\" must be a non-negative integer (epoch milliseconds)");
                        }
                    }
                    case "type" -> {
                        if (fieldValue == JsonToken.VALUE_STRING) {
                            type = json.getText();
                        } else if (fieldValue != JsonToken.VALUE_NULL) {
                            throw new MalformedEventException("\"type\" must be a string");
                        }
                    }
                    default -> json.skipChildren();
                }
            }
            if (json.nextToken() != null) {
                throw new MalformedEventException("trailing content after the JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            // Parsing bytes in memory does no I/O: anything else (e.g. the CharConversionException of a value that
            // starts with three zero bytes, which Jackson takes for UTF-32) is the value's fault too.
            throw new MalformedEventException("not valid JSON: " + e.getMessage());
        }
        if (user == null) {
            throw new MalformedEventException("missing \"user\"");
        }
        if (item == null) {
            throw new MalformedEventException("missing \"item\"");
        }
        if (key == null) {
            throw new MalformedEventException("record has no key; events must be keyed by their user id");
        }
        if (!Arrays.equals(key, user.getBytes(StandardCharsets.UTF_8))) {
            throw new MalformedEventException("record key does not match \"user\"");
        }
        return new Interaction(user, item, ts, type);
    }

    /**
     * Decodes a record for the ingest path into {@code out}, as slices of the record bytes (the user is the key,
     * which must equal "user"). Values of the usual shape (known fields, each at most once; printable ASCII strings
     * without escapes; {@code ts} a plain integer) are scanned directly, without building strings; anything else
     * goes through {@link #decode}, so both accept and reject exactly the same values, for the same reasons.
     */
    void decodeInto(byte[] key, byte[] value, long recordTimestamp, Utf8EventBatch out) throws MalformedEventException {
        if (key != null && value != null && scanUsualShape(key, value, out)) {
            return;
        }
        byte[] item = decode(key, value, recordTimestamp).item().getBytes(StandardCharsets.UTF_8);
        out.add(key, item, 0, item.length);
    }

    private static final int USER = 1;
    private static final int ITEM = 2;
    private static final int TS = 4;
    private static final int TYPE = 8;
    /** Digits of the longest {@code ts} scanned directly; longer ones may not fit a long. */
    private static final int MAX_SCANNED_DIGITS = 18;
    private static final byte[] USER_NAME = "user".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ITEM_NAME = "item".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TS_NAME = "ts".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TYPE_NAME = "type".getBytes(StandardCharsets.US_ASCII);

    /** Eight bytes of a value at a time, for the fixed parts of the canonical shape. */
    private static final VarHandle EIGHT_BYTES = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long OPEN_USER = eightBytes("{\"user\":");
    private static final long NEXT_ITEM = eightBytes(",\"item\":");
    private static final long NEXT_TYPE = eightBytes(",\"type\":");

    private static long eightBytes(String ascii) {
        return (long) EIGHT_BYTES.get(ascii.getBytes(StandardCharsets.US_ASCII), 0);
    }

    /** The fast path of {@link #decodeInto}: true when the value was of the usual shape and valid, and added. */
    private boolean scanUsualShape(byte[] key, byte[] v, Utf8EventBatch out) {
        return scanCanonicalShape(key, v, out) || scanAnyUsualShape(key, v, out);
    }

    /**
     * The usual shape as {@link #encode} and most producers write it, {@code {"user":"u","item":"i","ts":1,"type":"t"}}
     * with no whitespace, fields in that order, ts and type optional: its fixed parts compared eight bytes at a time
     * and the user compared with the key as it is scanned. True when the value had that shape and was added; false
     * leaves {@link #scanAnyUsualShape} to decide, so this accepts nothing it would not, with the same slices.
     */
    boolean scanCanonicalShape(byte[] key, byte[] v, Utf8EventBatch out) {
        int n = v.length;
        int k = key.length;
        // {"user":"<key>","item":"<item>"} is the shortest value this can take: 8 + 1 + k + 1 + 8 + 1 + 1 + 1 + 1
        if (k == 0 || k > maxIdBytes || n < k + 22 || (long) EIGHT_BYTES.get(v, 0) != OPEN_USER || v[8] != '"') {
            return false;
        }
        int userHash = Utf8KeyTable.HASH_SEED;
        for (int j = 0; j < k; j++) {
            byte b = v[9 + j];
            if (b != key[j] || b < '!' || b > '~' || b == '\\' || b == '"') {
                return false;
            }
            userHash = Utf8KeyTable.hashStep(userHash, b);
        }
        int i = 9 + k;
        if (v[i] != '"' || (long) EIGHT_BYTES.get(v, i + 1) != NEXT_ITEM || v[i + 9] != '"') {
            return false;
        }
        int itemFrom = i + 10;
        int itemHash = Utf8KeyTable.HASH_SEED;
        for (i = itemFrom; i < n && v[i] != '"'; i++) {
            byte b = v[i];
            if (b < '!' || b > '~' || b == '\\') {
                return false;
            }
            itemHash = Utf8KeyTable.hashStep(itemHash, b);
        }
        int itemTo = i;
        if (i >= n - 1 || itemTo == itemFrom || itemTo - itemFrom > maxIdBytes) {
            return false;
        }
        i++; // past the closing quote
        if (i + 6 < n && v[i] == ',' && v[i + 1] == '"' && v[i + 2] == 't' && v[i + 3] == 's' && v[i + 4] == '"'
                && v[i + 5] == ':') {
            int from = i + 6;
            for (i = from; i < n && v[i] >= '0' && v[i] <= '9'; i++) {
                // digits
            }
            if (i == from || i - from > MAX_SCANNED_DIGITS || (v[from] == '0' && i - from > 1) || i >= n) {
                return false;
            }
        }
        if (i + 9 < n && (long) EIGHT_BYTES.get(v, i) == NEXT_TYPE && v[i + 8] == '"') {
            for (i += 9; i < n && v[i] != '"'; i++) {
                if (v[i] < ' ' || v[i] > '~' || v[i] == '\\') {
                    return false;
                }
            }
            i++; // past the closing quote
        }
        if (i != n - 1 || v[i] != '}') {
            return false;
        }
        out.add(key, Utf8KeyTable.finishHash(userHash), v, itemFrom, itemTo, Utf8KeyTable.finishHash(itemHash));
        return true;
    }

    /** Any value of the usual shape (known fields in any order, at most once each, JSON whitespace anywhere). */
    private boolean scanAnyUsualShape(byte[] key, byte[] v, Utf8EventBatch out) {
        int n = v.length;
        int i = skipWhitespace(v, 0);
        if (i >= n || v[i] != '{') {
            return false;
        }
        int seen = 0;
        int userFrom = 0;
        int userTo = 0;
        int itemFrom = 0;
        int itemTo = 0;
        int userHash = 0;
        int itemHash = 0;
        i = skipWhitespace(v, i + 1);
        while (true) {
            if (i >= n || v[i] != '"') {
                return false;
            }
            int nameFrom = ++i;
            while (i < n && v[i] != '"' && v[i] != '\\') {
                i++;
            }
            if (i >= n || v[i] != '"') {
                return false;
            }
            int field = field(v, nameFrom, i);
            if (field == 0 || (seen & field) != 0) {
                return false;
            }
            seen |= field;
            i = skipWhitespace(v, i + 1);
            if (i >= n || v[i] != ':') {
                return false;
            }
            i = skipWhitespace(v, i + 1);
            if (field == TS) {
                int from = i;
                while (i < n && v[i] >= '0' && v[i] <= '9') {
                    i++;
                }
                // JSON forbids leading zeros; fractions, exponents, signs and nulls take the full parser
                if (i == from || i - from > MAX_SCANNED_DIGITS || (v[from] == '0' && i - from > 1)) {
                    return false;
                }
            } else {
                if (i >= n || v[i] != '"') {
                    return false;
                }
                int from = ++i;
                // ids: no spaces or controls allowed; type: spaces allowed
                byte lowest = field == TYPE ? (byte) ' ' : (byte) '!';
                int h = Utf8KeyTable.HASH_SEED;
                while (i < n && v[i] != '"') {
                    if (v[i] < lowest || v[i] > '~' || v[i] == '\\') {
                        return false;
                    }
                    h = Utf8KeyTable.hashStep(h, v[i]);
                    i++;
                }
                if (i >= n || (field != TYPE && (i == from || i - from > maxIdBytes))) {
                    return false;
                }
                if (field == USER) {
                    userFrom = from;
                    userTo = i;
                    userHash = h;
                } else if (field == ITEM) {
                    itemFrom = from;
                    itemTo = i;
                    itemHash = h;
                }
                i++;
            }
            i = skipWhitespace(v, i);
            if (i >= n) {
                return false;
            }
            if (v[i] == '}') {
                break;
            }
            if (v[i] != ',') {
                return false;
            }
            i = skipWhitespace(v, i + 1);
        }
        if (skipWhitespace(v, i + 1) != n || (seen & (USER | ITEM)) != (USER | ITEM)
                || !Arrays.equals(key, 0, key.length, v, userFrom, userTo)) {
            return false;
        }
        out.add(key, Utf8KeyTable.finishHash(userHash), v, itemFrom, itemTo, Utf8KeyTable.finishHash(itemHash));
        return true;
    }

    private static int field(byte[] v, int from, int to) {
        if (Arrays.equals(v, from, to, USER_NAME, 0, USER_NAME.length)) {
            return USER;
        }
        if (Arrays.equals(v, from, to, ITEM_NAME, 0, ITEM_NAME.length)) {
            return ITEM;
        }
        if (Arrays.equals(v, from, to, TS_NAME, 0, TS_NAME.length)) {
            return TS;
        }
        if (Arrays.equals(v, from, to, TYPE_NAME, 0, TYPE_NAME.length)) {
            return TYPE;
        }
        return 0;
    }

    /** JSON whitespace: space, tab, line feed, carriage return. */
    private static int skipWhitespace(byte[] v, int i) {
        while (i < v.length && (v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r')) {
            i++;
        }
        return i;
    }

    private String id(JsonParser json, JsonToken token, String field) throws IOException, MalformedEventException {
        if (token != JsonToken.VALUE_STRING) {
            throw new MalformedEventException("\"" + field + "\" must be a string");
        }
        String id = json.getText();
        checkId(field, id);
        return id;
    }

    /**
     * Throws unless {@code id} is a valid {@code field} ("user" or "item") id, for the same reason decoding gives:
     * what producers (the importer) check before sending, so that ingest does not reject the event.
     */
    void checkId(String field, String id) throws MalformedEventException {
        if (id.isEmpty()) {
            throw new MalformedEventException("\"" + field + "\" is empty");
        }
        // A char takes 1 to 3 UTF-8 bytes: count bytes only when the char count cannot decide.
        if (id.length() > maxIdBytes
                || (id.length() * 3 > maxIdBytes && id.getBytes(StandardCharsets.UTF_8).length > maxIdBytes)) {
            throw new MalformedEventException("\"" + field + "\" is longer than " + maxIdBytes + " bytes");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            // Readers of the .txt export drop a byte-order mark at the start of the file, and with it the first id's
            if (c == BYTE_ORDER_MARK) {
                throw new MalformedEventException("\"" + field + "\" contains a byte-order mark (U+FEFF)");
            }
            if (IdCharacters.refused(c)) { // the rule the dataset readers apply to the export
                throw new MalformedEventException("\"" + field + "\" contains whitespace, control or invisible characters");
            }
        }
        // Only a JSON escape such as \ud800 can make one; the store would key it as another id.
        if (IdBytes.unpairedSurrogate(id) >= 0) {
            throw new MalformedEventException("\"" + field + "\" is not valid Unicode (unpaired surrogate)");
        }
    }
}
