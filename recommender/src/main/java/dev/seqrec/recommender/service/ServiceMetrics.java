package dev.seqrec.recommender.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The service's own Prometheus figures: {@code seqrec_request_seconds} (latency histogram by endpoint),
 * {@code seqrec_requests_total} (by endpoint and outcome), {@code seqrec_fallbacks_total},
 * {@code seqrec_model_info} (1, labelled with the served version) and {@code seqrec_model_reloads_total}; ingestion
 * figures are registered by {@link IngestionGauges}.
 */
@Singleton
public class ServiceMetrics {
    /** The endpoints whose latency the console's request figures summarise. */
    public static final String RECOMMENDATION_TIMER = "seqrec.recommendation.latency";
    private static final double[] PERCENTILES = {0.5, 0.99};
    private static final Duration HISTOGRAM_MAX = Duration.ofSeconds(5);

    private final MeterRegistry registry;
    private final Timer recommendations;
    private final MultiGauge modelInfo;
    private final ConcurrentHashMap<String, Timer> latencies = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<List<String>, Counter> outcomes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> fallbacks = new ConcurrentHashMap<>();

    public ServiceMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.recommendations = Timer.builder(RECOMMENDATION_TIMER)
                .description("Latency of the recommendation endpoints together")
                .publishPercentiles(PERCENTILES)
                .register(registry);
        this.modelInfo = MultiGauge.builder("seqrec.model.info").description("1 for the model version being served")
                .register(registry);
    }

    /** Records one finished request; {@code recommendation} marks the endpoints that answer recommendations. */
    public void request(String endpoint, String outcome, long nanos, boolean recommendation) {
        latencies.computeIfAbsent(endpoint, e -> Timer.builder("seqrec.request")
                .description("Request latency by endpoint").tag("endpoint", e)
                .publishPercentileHistogram().maximumExpectedValue(HISTOGRAM_MAX)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
        outcomes.computeIfAbsent(List.of(endpoint, outcome), key -> Counter.builder("seqrec.requests")
                .description("Requests by endpoint and outcome").tag("endpoint", key.get(0)).tag("outcome", key.get(1))
                .register(registry)).increment();
        if (recommendation) {
            recommendations.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    public void fallback(String kind) {
        fallbacks.computeIfAbsent(kind, k -> Counter.builder("seqrec.fallbacks")
                .description("Answers that fell back to a non-personalised ranking").tag("kind", k)
                .register(registry)).increment();
    }

    public void modelServed(String version) {
        modelInfo.register(List.of(MultiGauge.Row.of(Tags.of("version", version), 1)), true);
    }

    public void modelReload(String outcome) {
        registry.counter("seqrec.model.reloads", "outcome", outcome).increment();
    }

    /** Recommendation requests answered so far. */
    public long recommendationCount() {
        return recommendations.count();
    }

    /** Median and 99th percentile of recent recommendation latencies, in milliseconds ({@code NaN} when none). */
    public double[] recommendationPercentilesMillis() {
        HistogramSnapshot snapshot = recommendations.takeSnapshot();
        double[] millis = {Double.NaN, Double.NaN};
        if (snapshot.count() == 0) {
            return millis;
        }
        for (ValueAtPercentile value : snapshot.percentileValues()) {
            int index = value.percentile() == PERCENTILES[0] ? 0 : 1;
            millis[index] = value.value(TimeUnit.MILLISECONDS);
        }
        return millis;
    }
}
