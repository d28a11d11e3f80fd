package dev.seqrec.recommender.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code seqrec bench serve} measures and how.
 *
 * @param data           the Beauty sequence file: users to ask about, their histories for the store, item counts
 * @param reference      the reference encoder's exported weights (a Beauty-sized model, 12,101 items)
 * @param checkpoint     a seqrec checkpoint to serve instead of the reference weights; null for the reference
 * @param output         where the CSV and the PNG chart go
 * @param connections    concurrent keep-alive connections of the load generator
 * @param warmup         load before each measurement, not counted (JIT, caches)
 * @param duration       measured time per endpoint
 * @param compareBatching also measure recommendations with micro-batching off (on by default), alternating over rounds
 * @param seed           seed of the random choice of users
 */
public record ServeBenchmarkConfig(Path data, Path reference, Path checkpoint, Path output, int connections,
                                   Duration warmup, Duration duration, boolean compareBatching, long seed) {
    public static final int DEFAULT_CONNECTIONS = 8;
    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(5);
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(15);
    /** The longest a measurement may be asked to run: benchmarks stay bounded. */
    public static final Duration MAX_DURATION = Duration.ofMinutes(5);

    public ServeBenchmarkConfig {
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1, got " + connections);
        }
        if (warmup.isNegative() || duration.isNegative() || duration.isZero()
                || duration.compareTo(MAX_DURATION) > 0 || warmup.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("duration must be in (0, " + MAX_DURATION.toSeconds()
                    + " s] and warm-up in [0, " + MAX_DURATION.toSeconds() + " s]");
        }
    }
}
