package dev.seqrec.recommender.service;

import dev.seqrec.recommender.Recommender;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.exceptions.ContentLengthExceededHandler;
import io.micronaut.http.server.exceptions.ErrorResponseProcessorExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/** Maps the recommender's exceptions to JSON error answers. */
final class ErrorHandlers {
    private ErrorHandlers() {
    }

    /** Arguments the recommender refused (k out of range, over-long ids, ...): 400. */
    @Singleton
    static class BadArgument extends ErrorResponseProcessorExceptionHandler<IllegalArgumentException> {
        BadArgument(ErrorResponseProcessor<?> processor) {
            super(processor);
        }

        @Override
        protected MutableHttpResponse<?> createResponse(IllegalArgumentException exception) {
            return HttpResponse.badRequest();
        }
    }

    /** An item the model does not know, asked about directly: 404. */
    @Singleton
    static class UnknownItem extends ErrorResponseProcessorExceptionHandler<Recommender.UnknownItemException> {
        UnknownItem(ErrorResponseProcessor<?> processor) {
            super(processor);
        }

        @Override
        protected MutableHttpResponse<?> createResponse(Recommender.UnknownItemException exception) {
            return HttpResponse.notFound();
        }
    }

    /** The broker did not take a posted event in time: 503, so clients know a retry may succeed. */
    @Singleton
    static class PublishFailed extends ErrorResponseProcessorExceptionHandler<Ingestion.PublishFailedException> {
        PublishFailed(ErrorResponseProcessor<?> processor) {
            super(processor);
        }

        @Override
        protected MutableHttpResponse<?> createResponse(Ingestion.PublishFailedException exception) {
            return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE);
        }
    }

    /** A request that arrived while the service shuts down: 503, as for any other instance that cannot answer now. */
    @Singleton
    static class ShuttingDown extends ErrorResponseProcessorExceptionHandler<Recommender.ClosedException> {
        ShuttingDown(ErrorResponseProcessor<?> processor) {
            super(processor);
        }

        @Override
        protected MutableHttpResponse<?> createResponse(Recommender.ClosedException exception) {
            return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE);
        }
    }

    /** No or a wrong admin token: 401, naming the scheme to authenticate with (RFC 9110, section 15.5.2). */
    @Singleton
    static class Unauthorized extends ErrorResponseProcessorExceptionHandler<ModelController.Unauthorized> {
        Unauthorized(ErrorResponseProcessor<?> processor) {
            super(processor);
        }

        @Override
        protected MutableHttpResponse<?> createResponse(ModelController.Unauthorized exception) {
            return HttpResponse.unauthorized().header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
    }

    /** A body over the configured size: 400, like every other bad input. */
    @Singleton
    @Replaces(ContentLengthExceededHandler.class)
    static class BodyTooLarge extends ErrorResponseProcessorExceptionHandler<ContentLengthExceededException> {
        BodyTooLarge(ErrorResponseProcessor<?> processor) {
            super(processor);
        }

        @Override
        protected MutableHttpResponse<?> createResponse(ContentLengthExceededException exception) {
            return HttpResponse.badRequest();
        }
    }
}
