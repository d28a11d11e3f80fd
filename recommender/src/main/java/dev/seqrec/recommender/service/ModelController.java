package dev.seqrec.recommender.service;

import dev.seqrec.recommender.Recommender;
import dev.seqrec.recommender.model.ModelCard;
import dev.seqrec.trainer.checkpoint.CheckpointException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The served model's card, and swapping in a new checkpoint (admin, bearer token). */
@Controller(produces = MediaType.APPLICATION_JSON)
@Tag(name = "model")
public class ModelController {
    private static final String BEARER = "Bearer ";

    /** Which checkpoint to serve; without one, the configured checkpoint directory is reloaded. */
    @Serdeable
    public record ReloadRequest(@Nullable String checkpoint) {
    }

    private final Recommender recommender;
    private final ModelLifecycle lifecycle;
    private final ServeConfig config;

    public ModelController(Recommender recommender, ModelLifecycle lifecycle, ServeConfig config) {
        this.recommender = recommender;
        this.lifecycle = lifecycle;
        this.config = config;
    }

    @Get("/v1/model")
    @Operation(summary = "The served model's card: kind, version, dataset, metrics, training curve")
    public ModelCard model() {
        return recommender.model().card();
    }

    @Post(uri = "/v1/admin/model", consumes = MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(summary = "Load a checkpoint and swap it in atomically; a bad checkpoint is refused (422) and the "
            + "current model keeps serving")
    public HttpResponse<?> reload(@Nullable @Header("Authorization") String authorization,
                                  @Nullable @Body ReloadRequest body) {
        authorize(authorization);
        try {
            return HttpResponse.ok(lifecycle.reload(body == null ? null : body.checkpoint()));
        } catch (CheckpointException e) {
            throw new HttpStatusException(HttpStatus.UNPROCESSABLE_ENTITY,
                    "checkpoint rejected, still serving model " + recommender.model().version() + ": " + e.getMessage());
        }
    }

    private void authorize(String authorization) {
        String token = config.adminToken();
        if (token == null || token.isBlank()) {
            throw new HttpStatusException(HttpStatus.FORBIDDEN,
                    "admin endpoints are disabled: set seqrec.serve.admin-token (SEQREC_SERVE_ADMIN_TOKEN)");
        }
        // Authentication schemes are case-insensitive (RFC 9110, section 11.1): "bearer" is "Bearer"
        String given = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authorization.substring(BEARER.length()) : "";
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            throw new HttpStatusException(HttpStatus.UNAUTHORIZED, "missing or wrong bearer token");
        }
    }
}
