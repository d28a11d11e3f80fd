package dev.seqrec.recommender.service;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Live figures for the console: ingestion and recommendation requests. */
@Controller(produces = MediaType.APPLICATION_JSON)
@Tag(name = "operations")
public class StatsController {

    /**
     * Recommendation requests (the three recommendation endpoints) answered by this process.
     *
     * @param count     answered so far
     * @param perSecond over the last seconds
     * @param p50Millis median latency, recent requests; null before the first
     * @param p99Millis 99th percentile latency, recent requests; null before the first
     */
    @Serdeable
    public record RequestFigures(long count, double perSecond, Double p50Millis, Double p99Millis) {
    }

    @Serdeable
    public record Stats(Ingestion.Figures ingestion, RequestFigures requests, String modelVersion) {
    }

    private final Ingestion ingestion;
    private final ServiceMetrics metrics;
    private final RequestRate rate;
    private final dev.seqrec.recommender.Recommender recommender;

    public StatsController(Ingestion ingestion, ServiceMetrics metrics, RequestRate rate,
                           dev.seqrec.recommender.Recommender recommender) {
        this.ingestion = ingestion;
        this.metrics = metrics;
        this.rate = rate;
        this.recommender = recommender;
    }

    @Get("/v1/stats")
    @Operation(summary = "Ingestion figures (events, events/s, lag, dead letters) and request figures (count, rate, p50/p99)")
    public Stats stats() {
        double[] percentiles = metrics.recommendationPercentilesMillis();
        return new Stats(ingestion.figures(), new RequestFigures(metrics.recommendationCount(), rate.perSecond(),
                finite(percentiles[0]), finite(percentiles[1])), recommender.model().version());
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
