package dev.seqrec.recommender.service;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import jakarta.inject.Singleton;
import java.util.stream.Collectors;

/** Makes every error the server produces, its own and Micronaut's (bad JSON, conversions, 404s), an {@link ErrorBody}. */
@Singleton
@Replaces(JsonErrorResponseBodyProvider.class)
public class ErrorBodyProvider implements JsonErrorResponseBodyProvider<ErrorBody> {

    @Override
    public ErrorBody body(ErrorContext context, HttpResponse<?> response) {
        String message = context.hasErrors()
                ? context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "))
                : context.getRootCause().map(Throwable::getMessage).orElse(response.reason());
        // The status's standard reason phrase: Micronaut sets its own for some errors ("Invalid JSON" for a 400).
        String reason = HttpStatus.getDefaultReason(response.code());
        return new ErrorBody(response.code(), reason == null ? response.reason() : reason, message);
    }
}
