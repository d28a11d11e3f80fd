package dev.seqrec.recommender;

/**
 * Limits and tuning of the embeddable recommender.
 *
 * @param maxK               largest k a caller may ask for
 * @param maxIdLength        longest user or item id accepted, in characters
 * @param maxHistoryItems    most items a caller may pass as a history
 * @param seenWindow         how many of a user's most recent items count as "seen" for {@code excludeSeen}, and the
 *                           most items {@link Recommender#history} answers
 * @param microBatching      score concurrent requests together (one pass over the item table per batch)
 * @param maxBatch           most requests scored in one batch
 * @param scoringThreads     threads that score batches
 */
public record RecommenderConfig(int maxK, int maxIdLength, int maxHistoryItems, int seenWindow,
                                boolean microBatching, int maxBatch, int scoringThreads) {
    public static final int DEFAULT_MAX_K = 1000;
    public static final int DEFAULT_MAX_ID_LENGTH = 256;
    public static final int DEFAULT_MAX_HISTORY_ITEMS = 1000;
    public static final int DEFAULT_SEEN_WINDOW = 200;
    public static final int DEFAULT_MAX_BATCH = 16;
    /** Recommendations answered when a request names no k (at most {@link #maxK}). */
    public static final int DEFAULT_K = 10;
    /** Items a history answer holds when a request names no n (at most {@link #seenWindow}). */
    public static final int DEFAULT_HISTORY_ITEMS = 50;

    public RecommenderConfig {
        positive("maxK", maxK);
        positive("maxIdLength", maxIdLength);
        positive("maxHistoryItems", maxHistoryItems);
        positive("seenWindow", seenWindow);
        positive("maxBatch", maxBatch);
        positive("scoringThreads", scoringThreads);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("recommender limit " + name + " must be positive, got " + value);
        }
    }

    /**
     * Micro-batching is on by default: it takes the scoring off the HTTP event loops and shares the item table's
     * cache lines within a batch. On the shared 2-core development machine the two modes traded places between
     * rounds ({@code seqrec bench serve --compare-batching}): the difference there is within the noise.
     */
    public static RecommenderConfig defaults() {
        return new RecommenderConfig(DEFAULT_MAX_K, DEFAULT_MAX_ID_LENGTH, DEFAULT_MAX_HISTORY_ITEMS,
                DEFAULT_SEEN_WINDOW, true, DEFAULT_MAX_BATCH, Runtime.getRuntime().availableProcessors());
    }

    /** k for a request that names none: {@link #DEFAULT_K}, or {@link #maxK} if that is smaller. */
    public int defaultK() {
        return Math.min(DEFAULT_K, maxK);
    }

    /** n for a history request that names none: {@link #DEFAULT_HISTORY_ITEMS}, or {@link #seenWindow} if smaller. */
    public int defaultHistoryItems() {
        return Math.min(DEFAULT_HISTORY_ITEMS, seenWindow);
    }

    public RecommenderConfig withMicroBatching(boolean enabled) {
        return new RecommenderConfig(maxK, maxIdLength, maxHistoryItems, seenWindow, enabled, maxBatch, scoringThreads);
    }
}
