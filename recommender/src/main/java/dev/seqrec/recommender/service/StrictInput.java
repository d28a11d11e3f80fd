package dev.seqrec.recommender.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.micronaut.context.annotation.Factory;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.beans.BeanIntrospection;
import io.micronaut.core.beans.BeanIntrospector;
import io.micronaut.core.type.Argument;
import io.micronaut.core.type.Headers;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.body.TypedMessageBodyReader;
import io.micronaut.http.codec.CodecException;
import io.micronaut.json.JsonMapper;
import io.micronaut.http.HttpParameters;
import io.micronaut.http.HttpRequest;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Request input read strictly: a value of the wrong type, or a field the request does not have, is a 400 that names
 * the field, never a coerced or dropped value. Micronaut's own conversions are lenient: its query conversion reads
 * {@code excludeSeen=maybe} as false, and its JSON deserializers read {@code "yes"} as false, {@code 1.5} as 1,
 * {@code 5} as "5" and {@code ["a"]} as "a", and skip unknown fields ({@code "excludeseen": true}); a typo would
 * silently change an answer.
 *
 * <p>Every JSON request body is one of the records below, each read by a {@link Strict} deserializer (beans of an
 * exact type win over Micronaut's introspection-based one; a request record added to a controller needs its line
 * here, which ServiceHttpTest checks). Each JSON value must have the JSON type of the record component's declared
 * type: String, Boolean, Integer or Long (an integral number within its range) or List of String. Absent and null
 * fields are null, for the controller to default or refuse; a field that is not a component is refused, listing the
 * components. Query parameters are checked by name with {@link #queryParameters} and their values read as Strings
 * with {@link #flag} and {@link #wholeNumber}.
 */
@Factory
final class StrictInput {
    /** How much of a refused value a message quotes. */
    private static final int QUOTED_CHARS = 40;
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]+");

    @Singleton
    Deserializer<RecommendationController.HistoryRequest> historyRequest() {
        return new Strict<>(RecommendationController.HistoryRequest.class);
    }

    @Singleton
    Deserializer<EventController.EventRequest> eventRequest() {
        return new Strict<>(EventController.EventRequest.class);
    }

    @Singleton
    Deserializer<ModelController.ReloadRequest> reloadRequest() {
        return new Strict<>(ModelController.ReloadRequest.class);
    }

    @Singleton
    @Consumes(MediaType.APPLICATION_JSON)
    TypedMessageBodyReader<RecommendationController.HistoryRequest> historyRequestBody(JsonMapper json) {
        return new SingleValueBody<>(json, Argument.of(RecommendationController.HistoryRequest.class));
    }

    @Singleton
    @Consumes(MediaType.APPLICATION_JSON)
    TypedMessageBodyReader<EventController.EventRequest> eventRequestBody(JsonMapper json) {
        return new SingleValueBody<>(json, Argument.of(EventController.EventRequest.class));
    }

    @Singleton
    @Consumes(MediaType.APPLICATION_JSON)
    TypedMessageBodyReader<ModelController.ReloadRequest> reloadRequestBody(JsonMapper json) {
        return new SingleValueBody<>(json, Argument.of(ModelController.ReloadRequest.class));
    }

    /**
     * A request body that must be one JSON value and nothing after it: Micronaut's reader stops after the first value,
     * so {@code {"items":["a"]} {"items":["b"]}} or a value followed by stray text was answered as if well formed.
     */
    static final class SingleValueBody<T> implements TypedMessageBodyReader<T> {
        private static final JsonFactory JSON = new JsonFactory();
        private final JsonMapper json;
        private final Argument<T> type;

        SingleValueBody(JsonMapper json, Argument<T> type) {
            this.json = json;
            this.type = type;
        }

        @Override
        public Argument<T> getType() {
            return type;
        }

        @Override
        public T read(Argument<T> type, MediaType mediaType, Headers headers, InputStream input) {
            try {
                byte[] body = input.readAllBytes();
                try (JsonParser parser = JSON.createParser(body)) {
                    if (parser.nextToken() != null) {
                        parser.skipChildren();
                        if (parser.nextToken() != null) {
                            JsonLocation at = parser.currentTokenLocation();
                            throw new IllegalArgumentException("the body is not valid JSON: more follows its first "
                                    + "value (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
                        }
                    }
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(e.getOriginalMessage(), e); // ErrorBodyProvider words it
                }
                return json.readValue(body, type);
            } catch (IOException e) {
                throw new CodecException("cannot read the request body: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Refuses a query parameter the endpoint does not take ({@code excludeseen=true} would otherwise be ignored and
     * recommend seen items), and one given more than once, except those named in {@code repeatable}.
     */
    static void queryParameters(HttpRequest<?> request, List<String> accepted, Set<String> repeatable) {
        HttpParameters parameters = request.getParameters();
        for (String name : parameters.names()) {
            if (!accepted.contains(name)) {
                throw new IllegalArgumentException("unknown query parameter " + quoted(name) + "; "
                        + (accepted.isEmpty() ? "this endpoint takes none" : "the accepted parameters are "
                        + accepted.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", "))));
            }
            int given = parameters.getAll(name).size();
            if (given > 1 && !repeatable.contains(name)) {
                throw new IllegalArgumentException(name + " is given " + given + " times; give it once");
            }
        }
    }

    /**
     * A whole-number query value: digits with an optional minus sign and nothing else (Micronaut's conversion
     * treats an empty value as absent, so {@code k=} took the default).
     *
     * @param value the raw value, null when the parameter is absent
     */
    static int wholeNumber(String name, String value, int absent) {
        if (value == null) {
            return absent;
        }
        if (!WHOLE_NUMBER.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " must be a whole number, got " + quoted(value));
        }
        BigInteger number = new BigInteger(value);
        if (number.bitLength() >= Integer.SIZE) {
            throw new IllegalArgumentException(name + " must be between " + Integer.MIN_VALUE + " and "
                    + Integer.MAX_VALUE + ", got " + quoted(value));
        }
        return number.intValue();
    }

    /** A query flag: true or false, in any case ({@code True} is what Python's str(True) sends); absent is false. */
    static boolean flag(String name, String value) {
        if (value == null) {
            return false;
        }
        if ("true".equalsIgnoreCase(value)) {
            return true;
        }
        if ("false".equalsIgnoreCase(value)) {
            return false;
        }
        throw new IllegalArgumentException(name + " must be true or false, got " + quoted(value));
    }

    private enum Kind { STRING, BOOLEAN, INTEGER, LONG, STRING_LIST }

    /** Reads one record type from a JSON object, each field as its component's type; see {@link StrictInput}. */
    static final class Strict<T> implements Deserializer<T> {
        private final BeanIntrospection<T> introspection;
        private final Argument<?>[] fields;
        private final Kind[] kinds;
        /** The field names, in declaration order: what an unknown field's message lists. */
        private final Set<String> names = new LinkedHashSet<>();

        Strict(Class<T> type) {
            this.introspection = BeanIntrospector.SHARED.getIntrospection(type);
            this.fields = introspection.getConstructorArguments();
            this.kinds = new Kind[fields.length];
            for (int i = 0; i < fields.length; i++) {
                names.add(fields[i].getName());
                kinds[i] = kind(fields[i]);
                if (kinds[i] == null) {
                    throw new IllegalStateException(type.getName() + "." + fields[i].getName() + ": "
                            + fields[i].getTypeString(true) + " is not a type StrictInput reads");
                }
            }
        }

        @Override
        public T deserialize(@NonNull Decoder decoder, DecoderContext context, @NonNull Argument<? super T> type)
                throws IOException {
            JsonNode body = decoder.decodeNode();
            if (!body.isObject()) {
                throw new IllegalArgumentException("the body must be a JSON object, got " + describe(body));
            }
            for (Map.Entry<String, JsonNode> field : body.entries()) {
                if (!names.contains(field.getKey())) {
                    throw new IllegalArgumentException("unknown field " + quoted(field.getKey())
                            + "; the accepted fields are " + names.stream().map(name -> "\"" + name + "\"")
                            .collect(Collectors.joining(", ")));
                }
            }
            Object[] values = new Object[fields.length];
            for (int i = 0; i < fields.length; i++) {
                values[i] = read(fields[i].getName(), kinds[i], body.get(fields[i].getName()));
            }
            return introspection.instantiate(values);
        }
    }

    private static Kind kind(Argument<?> field) {
        Class<?> type = field.getType();
        if (type == String.class) {
            return Kind.STRING;
        }
        if (type == Boolean.class) {
            return Kind.BOOLEAN;
        }
        if (type == Integer.class) {
            return Kind.INTEGER;
        }
        if (type == Long.class) {
            return Kind.LONG;
        }
        if (type == List.class && field.getTypeParameters().length == 1
                && field.getTypeParameters()[0].getType() == String.class) {
            return Kind.STRING_LIST;
        }
        return null;
    }

    private static Object read(String field, Kind kind, JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        String name = "\"" + field + "\"";
        return switch (kind) {
            case STRING -> {
                require(value.isString(), name + " must be a string, got " + describe(value));
                yield value.getStringValue();
            }
            case BOOLEAN -> {
                require(value.isBoolean(), name + " must be true or false, got " + describe(value));
                yield value.getBooleanValue();
            }
            case INTEGER -> {
                require(value.isNumber() && fits(value.getNumberValue(), Integer.SIZE),
                        name + " must be a whole number, got " + describe(value));
                yield value.getIntValue();
            }
            case LONG -> {
                require(value.isNumber() && fits(value.getNumberValue(), Long.SIZE),
                        name + " must be a whole number, got " + describe(value));
                yield value.getLongValue();
            }
            case STRING_LIST -> {
                require(value.isArray(), name + " must be a list of strings, got " + describe(value));
                List<String> items = new ArrayList<>(value.size());
                for (JsonNode item : value.values()) {
                    // A null in the list is left to the controller, which says what the list should hold.
                    require(item.isNull() || item.isString(), name + " must list strings; it contains " + describe(item));
                    items.add(item.isNull() ? null : item.getStringValue());
                }
                yield Collections.unmodifiableList(items);
            }
        };
    }

    /** An integral JSON number within a signed range of {@code bits} (for int, 1.5, 1e3 and 3000000000 are not). */
    private static boolean fits(Number number, int bits) {
        if (!(number instanceof Integer || number instanceof Long || number instanceof BigInteger)) {
            return false;
        }
        return new BigInteger(number.toString()).bitLength() < bits;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    private static String describe(JsonNode value) {
        if (value.isString()) {
            return quoted(value.getStringValue());
        }
        if (value.isNumber() || value.isBoolean() || value.isNull()) {
            return String.valueOf(value.getValue()).toLowerCase(Locale.ROOT);
        }
        return value.isArray() ? "an array" : "an object";
    }

    private static String quoted(String text) {
        return "\"" + (text.length() > QUOTED_CHARS ? text.substring(0, QUOTED_CHARS) + "..." : text) + "\"";
    }
}
