package dev.seqrec.recommender.service;

import dev.seqrec.recommender.Recommender;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/** Ready while a model is served and, when the service ingests, its consumer is alive. */
@Singleton
@Readiness
public class ServingReadiness extends AbstractHealthIndicator<Map<String, Object>> {
    private final Recommender recommender;
    private final Ingestion ingestion;

    public ServingReadiness(Recommender recommender, Ingestion ingestion) {
        this.recommender = recommender;
        this.ingestion = ingestion;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("modelVersion", recommender.model().version());
        details.put("ingesting", ingestion.ingests());
        Throwable failure = ingestion.failure();
        if (failure != null) {
            details.put("ingestionFailure", String.valueOf(failure.getMessage()));
        }
        healthStatus = failure == null ? HealthStatus.UP : HealthStatus.DOWN;
        return details;
    }

    @Override
    protected String getName() {
        return "serving";
    }
}
