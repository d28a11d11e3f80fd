package dev.seqrec.recommender.service;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import jakarta.inject.Singleton;
import java.math.BigInteger;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Makes every error the server produces, its own and Micronaut's (bad JSON, conversions, 404s), an {@link ErrorBody}.
 * Micronaut's messages for malformed JSON and unconvertible query values speak of Java ("Failed to convert argument
 * [k] ... For input string") and of the parser's redacted source; those two are rewritten to name the problem and,
 * for a query value, the parameter, as seqrec's own messages do.
 */
@Singleton
@Replaces(JsonErrorResponseBodyProvider.class)
public class ErrorBodyProvider implements JsonErrorResponseBodyProvider<ErrorBody> {
    /** Jackson's stand-in for the request body in its locations, which says nothing to the client. */
    private static final Pattern REDACTED_SOURCE = Pattern.compile("Source: REDACTED \\([^)]*\\); ");
    private static final Set<Class<?>> WHOLE_NUMBERS = Set.of(int.class, Integer.class, long.class, Long.class);

    @Override
    public ErrorBody body(ErrorContext context, HttpResponse<?> response) {
        String message = context.getRootCause().flatMap(ErrorBodyProvider::readable).orElseGet(() -> context.hasErrors()
                ? context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "))
                : context.getRootCause().map(Throwable::getMessage).orElse(response.reason()));
        // The status's standard reason phrase: Micronaut sets its own for some errors ("Invalid JSON" for a 400).
        String reason = HttpStatus.getDefaultReason(response.code());
        return new ErrorBody(response.code(), reason == null ? response.reason() : reason, message);
    }

    /** Digits with an optional sign, nothing around them: what an int or long conversion may fail on by range. */
    private static boolean isWholeNumber(String text) {
        try {
            new BigInteger(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Optional<String> readable(Throwable error) {
        // First, as a body too deep for the parser also reaches here as a conversion error of the whole body.
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException json) {
                JsonLocation at = json.getLocation();
                String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
                String problem = json instanceof StreamConstraintsException
                        ? "the body exceeds the JSON reader's limits: " : "the body is not valid JSON: ";
                return Optional.of(problem + REDACTED_SOURCE.matcher(json.getOriginalMessage()).replaceAll("") + where);
            }
        }
        if (error instanceof ConversionErrorException conversion) {
            Argument<?> argument = conversion.getArgument();
            Class<?> type = argument.getType();
            String value = String.valueOf(conversion.getConversionError().getOriginalValue().orElse(""));
            String expected = !WHOLE_NUMBERS.contains(type) ? (type == boolean.class || type == Boolean.class
                    ? "true or false" : "a " + type.getSimpleName())
                    : isWholeNumber(value) ? (type == int.class || type == Integer.class
                    ? "between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE
                    : "between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE)
                    : "a whole number";
            return Optional.of(argument.getName() + " must be " + expected + ", got \"" + value + "\"");
        }
        return Optional.empty();
    }
}
