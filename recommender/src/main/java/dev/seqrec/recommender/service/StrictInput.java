package dev.seqrec.recommender.service;

import io.micronaut.context.annotation.Factory;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.beans.BeanIntrospection;
import io.micronaut.core.beans.BeanIntrospector;
import io.micronaut.core.type.Argument;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 * components. A query flag is a String parameter read with {@link #flag}.
 */
@Factory
final class StrictInput {
    /** How much of a refused value a message quotes. */
    private static final int QUOTED_CHARS = 40;

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

    /** A query flag: true or false, in any case ({@code True} is what Python's str(True) sends). */
    static boolean flag(String name, String value) {
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
