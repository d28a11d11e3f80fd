package dev.seqrec.recommender.service;

import dev.seqrec.recommender.Recommendation;
import dev.seqrec.recommender.RecommendationFilters;
import dev.seqrec.recommender.Recommender;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/** Next-item recommendations, similar items and user histories, in original (string) ids. */
@Controller(produces = MediaType.APPLICATION_JSON)
@Tag(name = "recommendations")
public class RecommendationController {
    static final String USER_RECOMMENDATIONS = "/v1/users/{userId}/recommendations";
    static final String HISTORY_RECOMMENDATIONS = "/v1/recommendations";
    static final String SIMILAR_ITEMS = "/v1/items/{itemId}/similar";
    static final String USER_HISTORY = "/v1/users/{userId}/history";
    private static final String EXCLUDE = "exclude";
    private static final List<String> USER_PARAMETERS = List.of("k", "excludeSeen", EXCLUDE);
    private static final String K_DESCRIPTION = "how many items; default 10, or the service's max-k if smaller, which "
            + "is also the most accepted";

    /** A history to recommend after (an anonymous session). */
    @Serdeable
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE) // StrictInput refuses other fields
    public record HistoryRequest(@Nullable List<String> items, @Nullable Integer k, @Nullable Boolean excludeSeen,
                                 @Nullable List<String> exclude) {
    }

    /** A user's most recent items, oldest first. */
    @Serdeable
    public record UserHistory(String user, List<String> items) {
    }

    private final Recommender recommender;
    private final ServiceMetrics metrics;

    public RecommendationController(Recommender recommender, ServiceMetrics metrics) {
        this.recommender = recommender;
        this.metrics = metrics;
    }

    @Get(USER_RECOMMENDATIONS)
    @Operation(summary = "Recommendations from the user's live sequence; popularity for unknown users")
    public CompletableFuture<Recommendation> forUser(
            HttpRequest<?> request, @PathVariable String userId,
            @Nullable @QueryValue @Parameter(description = K_DESCRIPTION, schema = @Schema(type = "integer")) String k,
            @Nullable @QueryValue @Parameter(schema = @Schema(type = "boolean", defaultValue = "false"))
            String excludeSeen,
            @Nullable @QueryValue @Parameter(description = "item ids to leave out, comma-separated; the parameter may "
                    + "be repeated") String exclude) {
        StrictInput.queryParameters(request, USER_PARAMETERS, Set.of(EXCLUDE));
        int count = StrictInput.wholeNumber("k", k, recommender.config().defaultK());
        RecommendationFilters filters = new RecommendationFilters(StrictInput.flag("excludeSeen", excludeSeen),
                splitLists(request.getParameters().getAll(EXCLUDE)));
        return recommender.recommendForUserAsync(userId, count, filters).thenApply(answer -> noted(request, answer));
    }

    @Post(uri = HISTORY_RECOMMENDATIONS, consumes = MediaType.APPLICATION_JSON)
    @Operation(summary = "Recommendations after a given history (oldest first); unknown items are skipped and listed")
    public CompletableFuture<Recommendation> forHistory(HttpRequest<?> request, @Body HistoryRequest body) {
        if (body.items() == null) {
            throw new IllegalArgumentException("body needs \"items\": the history as a list of item ids, oldest first");
        }
        if (body.exclude() != null && body.exclude().stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("\"exclude\" must list item ids; it contains null");
        }
        int k = body.k() == null ? recommender.config().defaultK() : body.k();
        RecommendationFilters filters = new RecommendationFilters(Boolean.TRUE.equals(body.excludeSeen()),
                body.exclude() == null ? Set.of() : Set.copyOf(body.exclude()));
        return recommender.recommendAsync(body.items(), k, filters).thenApply(answer -> noted(request, answer));
    }

    @Get(SIMILAR_ITEMS)
    @Operation(summary = "Items with the most similar embeddings (cosine)")
    public Recommendation similar(
            HttpRequest<?> request, @PathVariable String itemId,
            @Nullable @QueryValue @Parameter(description = K_DESCRIPTION, schema = @Schema(type = "integer"))
            String k) {
        StrictInput.queryParameters(request, List.of("k"), Set.of());
        return recommender.similarItems(itemId, StrictInput.wholeNumber("k", k, recommender.config().defaultK()));
    }

    @Get(USER_HISTORY)
    @Operation(summary = "The user's most recent items, oldest first (empty for an unknown user)")
    public UserHistory history(
            HttpRequest<?> request, @PathVariable String userId,
            @Nullable @QueryValue @Parameter(description = "how many of the most recent items; default 50, or the "
                    + "service's seen-window if smaller, which is also the most accepted",
                    schema = @Schema(type = "integer")) String n) {
        StrictInput.queryParameters(request, List.of("n"), Set.of());
        int count = StrictInput.wholeNumber("n", n, recommender.config().defaultHistoryItems());
        return new UserHistory(userId, recommender.history(userId, count));
    }

    private Recommendation noted(HttpRequest<?> request, Recommendation answer) {
        if (answer.fallback() != null) {
            request.setAttribute(RequestMetricsFilter.FALLBACK_ATTRIBUTE, answer.fallback());
            metrics.fallback(answer.fallback());
        }
        return answer;
    }

    /** The items of every given {@code exclude} value, each a comma-separated list. */
    private static Set<String> splitLists(List<String> commaSeparated) {
        return commaSeparated.stream().flatMap(list -> Arrays.stream(list.split(","))).map(String::trim)
                .filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }
}
