package dev.seqrec.streaming;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The event format on the topic: a JSON object {@code {"user": "u-1", "item": "sku-9", "ts": 1732440000000,
 * "type": "view"}} keyed by the user id; {@code ts} (epoch milliseconds) and {@code type} are optional, other
 * fields are ignored. Ids must be non-empty, at most {@code maxIdBytes} UTF-8 bytes and free of whitespace (the
 * .txt export separates ids with spaces).
 */
public final class InteractionEventCodec {
    public static final int DEFAULT_MAX_ID_BYTES = 256;

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
            throw new UncheckedIOException(e);
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

    private String id(JsonParser json, JsonToken token, String field) throws IOException, MalformedEventException {
        if (token != JsonToken.VALUE_STRING) {
            throw new MalformedEventException("\"" + field + "\" must be a string");
        }
        String id = json.getText();
        if (id.isEmpty()) {
            throw new MalformedEventException("\"" + field + "\" is empty");
        }
        // A char takes 1 to 3 UTF-8 bytes: count bytes only when the char count cannot decide.
        if (id.length() > maxIdBytes
                || (id.length() * 3 > maxIdBytes && id.getBytes(StandardCharsets.UTF_8).length > maxIdBytes)) {
            throw new MalformedEventException("\"" + field + "\" is longer than " + maxIdBytes + " bytes");
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isWhitespace(id.charAt(i)) || Character.isISOControl(id.charAt(i))) {
                throw new MalformedEventException("\"" + field + "\" contains whitespace or control characters");
            }
        }
        return id;
    }
}
