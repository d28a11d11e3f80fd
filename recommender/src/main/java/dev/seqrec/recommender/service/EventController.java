package dev.seqrec.recommender.service;

import dev.seqrec.streaming.Interaction;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.concurrent.CompletableFuture;

/** Accepts interaction events over HTTP and produces them to the Kafka topic the service ingests. */
@Controller(produces = MediaType.APPLICATION_JSON)
@Tag(name = "events")
public class EventController {

    /**
     * One interaction, in the topic's event format: who did what to which item, and when.
     *
     * @param user the user's id
     * @param item the item's id
     * @param ts   when it happened, in epoch milliseconds; optional, the time the service received it otherwise
     * @param type what the user did ("view", ...); optional
     */
    @Serdeable
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE) // StrictInput refuses other fields
    public record EventRequest(@Nullable String user, @Nullable String item, @Nullable Long ts,
                               @Nullable String type) {
    }

    private final Ingestion ingestion;

    public EventController(Ingestion ingestion) {
        this.ingestion = ingestion;
    }

    // The future holds the Published record itself, with @Status for the 202, not an HttpResponse: the OpenAPI
    // generator does not look into that wrapper and documented a 200 with HttpResponse's own fields.
    @Post(uri = "/v1/events", consumes = MediaType.APPLICATION_JSON)
    @Status(HttpStatus.ACCEPTED)
    @ExecuteOn(TaskExecutors.BLOCKING) // producing can wait for the broker (events-max-block): not on an event loop
    @Operation(summary = "Produce an interaction event to the topic (202); 400 for an event the consumer would refuse; "
            + "503 when the service does not ingest or the broker does not take the event")
    @ApiResponse(responseCode = "202", description = "produced: the topic, partition and offset the event landed at",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Ingestion.Published.class)))
    @ApiResponse(responseCode = "400", description = "an event the consumer would refuse (missing or malformed id, "
            + "ts that is not positive), or a field other than user, item, ts and type",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "503", description = "the service does not ingest (no --bootstrap), or the broker did "
            + "not take the event within events-max-block; a retry may succeed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    public CompletableFuture<Ingestion.Published> post(@Body EventRequest event) {
        if (!ingestion.ingests()) {
            throw new HttpStatusException(HttpStatus.SERVICE_UNAVAILABLE,
                    "this service does not ingest: start it with --bootstrap HOST:PORT to accept events");
        }
        required("user", event.user());
        required("item", event.item());
        if (event.ts() != null && event.ts() <= 0) {
            // Checked here: the codec writes no ts that is not positive (0 stands for "none"), so a 0 would silently
            // become the broker's time, and its own check never sees a negative one.
            throw new IllegalArgumentException("\"ts\" must be a positive integer (epoch milliseconds)");
        }
        // Everything else (id bytes, whitespace, control characters) is checked by the consumer's own codec.
        long ts = event.ts() == null ? System.currentTimeMillis() : event.ts();
        Interaction interaction = new Interaction(event.user(), event.item(), ts, event.type());
        return ingestion.publish(interaction);
    }

    private static void required(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("event needs a non-empty \"" + field + "\"");
        }
    }
}
