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
    private static final String DEFAULT_K = "10";
    private static final String DEFAULT_HISTORY = "50";

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
    public CompletableFuture<Recommendation> forUser(HttpRequest<?> request, @PathVariable String userId,
                                                     @QueryValue(defaultValue = DEFAULT_K) int k,
                                                     @QueryValue(defaultValue = "false")
                                                     @Parameter(schema = @Schema(type = "boolean")) String excludeSeen,
                                                     @QueryValue(defaultValue = "") String exclude) {
        // A String read strictly: Micronaut's boolean conversion takes "maybe" for false.
        RecommendationFilters filters = new RecommendationFilters(StrictInput.flag("excludeSeen", excludeSeen),
                splitList(exclude));
        return recommender.recommendForUserAsync(userId, k, filters).thenApply(answer -> noted(request, answer));
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
        int k = body.k() == null ? Integer.parseInt(DEFAULT_K) : body.k();
        RecommendationFilters filters = new RecommendationFilters(Boolean.TRUE.equals(body.excludeSeen()),
                body.exclude() == null ? Set.of() : Set.copyOf(body.exclude()));
        return recommender.recommendAsync(body.items(), k, filters).thenApply(answer -> noted(request, answer));
    }

    @Get(SIMILAR_ITEMS)
    @Operation(summary = "Items with the most similar embeddings (cosine)")
    public Recommendation similar(@PathVariable String itemId, @QueryValue(defaultValue = DEFAULT_K) int k) {
        return recommender.similarItems(itemId, k);
    }

    @Get(USER_HISTORY)
    @Operation(summary = "The user's most recent items, oldest first (empty for an unknown user)")
    public UserHistory history(@PathVariable String userId, @QueryValue(defaultValue = DEFAULT_HISTORY) int n) {
        return new UserHistory(userId, recommender.history(userId, n));
    }

    private Recommendation noted(HttpRequest<?> request, Recommendation answer) {
        if (answer.fallback() != null) {
            request.setAttribute(RequestMetricsFilter.FALLBACK_ATTRIBUTE, answer.fallback());
            metrics.fallback(answer.fallback());
        }
        return answer;
    }

    private static Set<String> splitList(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }
}
