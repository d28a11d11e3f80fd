package dev.seqrec.recommender.service;

import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import jakarta.inject.Singleton;

/** Recommendation requests per second over the last few seconds, from the latency timer's count sampled each second. */
@Context
@Singleton
public class RequestRate {
    private static final int WINDOW_SECONDS = 10;
    private static final Duration SAMPLE_PERIOD = Duration.ofSeconds(1);

    private final ServiceMetrics metrics;
    private final long[] counts = new long[WINDOW_SECONDS + 1];
    private final long[] times = new long[WINDOW_SECONDS + 1];
    private int next;
    private int samples;
    private final PeriodicTask sampler;

    public RequestRate(ServiceMetrics metrics) {
        this.metrics = metrics;
        sample();
        this.sampler = new PeriodicTask("seqrec-request-rate", SAMPLE_PERIOD, this::sample);
    }

    @PreDestroy
    void close() {
        sampler.close();
    }

    private synchronized void sample() {
        counts[next] = metrics.recommendationCount();
        times[next] = System.nanoTime();
        next = (next + 1) % counts.length;
        samples = Math.min(samples + 1, counts.length);
    }

    public synchronized double perSecond() {
        if (samples < 2) {
            return 0;
        }
        int newest = (next - 1 + counts.length) % counts.length;
        int oldest = samples < counts.length ? 0 : next;
        double seconds = (times[newest] - times[oldest]) / 1e9;
        return seconds <= 0 ? 0 : (counts[newest] - counts[oldest]) / seconds;
    }
}
