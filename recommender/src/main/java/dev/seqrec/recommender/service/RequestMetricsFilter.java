package dev.seqrec.recommender.service;

import io.micronaut.http.BasicHttpAttributes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Set;

/** Times every API request and counts it by outcome: ok, fallback, client_error or server_error. */
@ServerFilter("/v1/**")
public class RequestMetricsFilter {
    /** Request attribute a controller sets when its answer is a fallback. */
    static final String FALLBACK_ATTRIBUTE = "seqrec.fallback";
    private static final String START_ATTRIBUTE = "seqrec.start";
    private static final Set<String> RECOMMENDATION_ENDPOINTS = Set.of(
            RecommendationController.USER_RECOMMENDATIONS, RecommendationController.HISTORY_RECOMMENDATIONS,
            RecommendationController.SIMILAR_ITEMS);

    private final ServiceMetrics metrics;

    public RequestMetricsFilter(ServiceMetrics metrics) {
        this.metrics = metrics;
    }

    @RequestFilter
    public void start(HttpRequest<?> request) {
        request.setAttribute(START_ATTRIBUTE, System.nanoTime());
    }

    @ResponseFilter
    public void finish(HttpRequest<?> request, MutableHttpResponse<?> response) {
        Long start = request.getAttribute(START_ATTRIBUTE, Long.class).orElse(null);
        if (start == null) {
            return;
        }
        long nanos = System.nanoTime() - start;
        String endpoint = BasicHttpAttributes.getUriTemplate(request).orElse("unmatched");
        int status = response.code();
        String outcome;
        if (status >= 500) {
            outcome = "server_error";
        } else if (status >= 400) {
            outcome = "client_error";
        } else if (request.getAttribute(FALLBACK_ATTRIBUTE).isPresent()) {
            outcome = "fallback";
        } else {
            outcome = "ok";
        }
        metrics.request(endpoint, outcome, nanos, status < 400 && RECOMMENDATION_ENDPOINTS.contains(endpoint));
    }
}
