package dev.seqrec.recommender.service;

import dev.seqrec.recommender.Recommender;
import dev.seqrec.recommender.model.ModelCard;
import dev.seqrec.trainer.checkpoint.CheckpointException;
import io.micronaut.core.annotation.Nullable;
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
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The served model's card, and swapping in a new checkpoint (admin, bearer token). */
@Controller(produces = MediaType.APPLICATION_JSON)
@Tag(name = "model")
@SecurityScheme(name = ModelController.ADMIN_TOKEN, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "seqrec.serve.admin-token (SEQREC_SERVE_ADMIN_TOKEN)")
public class ModelController {
    static final String ADMIN_TOKEN = "adminToken";
    private static final String BEARER = "Bearer ";

    /** Which checkpoint to serve; without one, the configured checkpoint directory is reloaded. */
    @Serdeable
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE) // StrictInput refuses other fields
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

    // The Swap itself, not an HttpResponse: the OpenAPI generator does not look into that wrapper (type: object).
    @Post(uri = "/v1/admin/model", consumes = MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(summary = "Load a checkpoint and swap it in atomically; a bad checkpoint is refused (422) and the "
            + "current model keeps serving", security = @SecurityRequirement(name = ADMIN_TOKEN))
    @ApiResponse(responseCode = "200", description = "swapped: the model now served, the one it replaced, and the "
            + "checkpoint directory it was loaded from",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ModelLifecycle.Swap.class)))
    @ApiResponse(responseCode = "400", description = "a body other than {\"checkpoint\": string?}: malformed JSON, "
            + "a checkpoint that is not a string, or another field; the body is read before the token is checked",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "401", description = "no Authorization header, or not \"Bearer\" with the admin token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "403", description = "admin endpoints are disabled: seqrec.serve.admin-token is not "
            + "set, so every call is refused, with a token or without",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "422", description = "the checkpoint is missing, corrupt (checksums), of another "
            + "format or inconsistent; the current model keeps serving",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    public ModelLifecycle.Swap reload(@Nullable @Header("Authorization") String authorization,
                                      @Nullable @Body ReloadRequest body) {
        authorize(authorization);
        try {
            return lifecycle.reload(body == null ? null : body.checkpoint());
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
            throw new Unauthorized("missing or wrong bearer token");
        }
    }

    /** A missing or wrong admin token: 401 with the challenge HTTP requires ({@code WWW-Authenticate: Bearer}). */
    static final class Unauthorized extends RuntimeException {
        Unauthorized(String message) {
            super(message);
        }
    }
}
