package dev.seqrec.recommender;

import dev.seqrec.eval.data.IdMapping;
import dev.seqrec.recommender.model.ServingModel;
import dev.seqrec.streaming.SequenceStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The embeddable recommender: next-item recommendations for a history or for a user's live sequence, similar items,
 * and an atomically swappable model. Thread-safe; the HTTP service is a thin layer over it.
 *
 * <p>Every call reads the current model once at its start, so a call in flight finishes on the model it started
 * with even if {@link #swapModel} replaces it meanwhile. Bad arguments throw {@link IllegalArgumentException} with a
 * message naming the problem.
 */
public final class Recommender implements AutoCloseable {
    private final AtomicReference<ServingModel> current;
    private final SequenceStore store;
    private final RecommenderConfig config;
    private final MicroBatchScorer batcher;

    /**
     * @param store the live sequences for {@link #recommendForUser}; may be {@code null} when only histories are used
     */
    public Recommender(ServingModel model, SequenceStore store, RecommenderConfig config) {
        this.current = new AtomicReference<>(Objects.requireNonNull(model, "model"));
        this.store = store;
        this.config = config;
        this.batcher = config.microBatching() ? new MicroBatchScorer(config.scoringThreads(), config.maxBatch()) : null;
    }

    public ServingModel model() {
        return current.get();
    }

    /** Replaces the model for every later call and returns the one it replaced. */
    public ServingModel swapModel(ServingModel next) {
        return current.getAndSet(Objects.requireNonNull(next, "model"));
    }

    /** Recommendations after a history of original item ids, oldest first. */
    public Recommendation recommend(List<String> history, int k, RecommendationFilters filters) {
        return join(recommendAsync(history, k, filters));
    }

    /** Recommendations from the user's live sequence in the store. */
    public Recommendation recommendForUser(String userId, int k, RecommendationFilters filters) {
        return join(recommendForUserAsync(userId, k, filters));
    }

    public CompletableFuture<Recommendation> recommendForUserAsync(String userId, int k, RecommendationFilters filters) {
        checkId("user id", userId);
        checkK(k);
        ServingModel model = current.get();
        // The model reads its whole history whatever the seen window, which limits only what excludeSeen removes
        List<String> recent = recentItems(userId, Math.max(config.seenWindow(), model.maxHistory()));
        List<String> seen = recent.subList(Math.max(0, recent.size() - config.seenWindow()), recent.size());
        return answer(model, recent, seen, k, filters);
    }

    public CompletableFuture<Recommendation> recommendAsync(List<String> history, int k, RecommendationFilters filters) {
        Objects.requireNonNull(history, "history");
        if (history.size() > config.maxHistoryItems()) {
            throw new IllegalArgumentException("history has " + history.size() + " items; at most "
                    + config.maxHistoryItems() + " are accepted");
        }
        for (String item : history) {
            checkId("item id", item);
        }
        checkK(k);
        return answer(current.get(), history, history, k, filters);
    }

    /** The user's most recent {@code n} items, oldest first; empty for an unknown user. */
    public List<String> history(String userId, int n) {
        checkId("user id", userId);
        if (n < 1 || n > config.seenWindow()) {
            throw new IllegalArgumentException("n must be between 1 and " + config.seenWindow() + ", got " + n);
        }
        return recentItems(userId, n);
    }

    private List<String> recentItems(String userId, int n) {
        if (store == null) {
            throw new IllegalStateException("this recommender has no sequence store");
        }
        return store.recentItems(userId, n);
    }

    /**
     * Items whose embeddings are closest (cosine) to the given item's.
     *
     * @throws UnknownItemException if the model does not know the item
     */
    public Recommendation similarItems(String itemId, int k) {
        checkId("item id", itemId);
        checkK(k);
        ServingModel model = current.get();
        int id = model.itemId(itemId);
        if (id == IdMapping.UNKNOWN) {
            throw new UnknownItemException(itemId, model.version());
        }
        return new Recommendation(model.similar(id, k), model.version(), null, List.of());
    }

    /** @param seen the items {@code excludeSeen} removes: the history, or its most recent part */
    private CompletableFuture<Recommendation> answer(ServingModel model, List<String> history, List<String> seen, int k,
                                                     RecommendationFilters filters) {
        int[] known = new int[history.size()];
        int count = 0;
        Set<String> unknown = new LinkedHashSet<>();
        for (String item : history) {
            int id = model.itemId(item);
            if (id == IdMapping.UNKNOWN) {
                unknown.add(item);
            } else {
                known[count++] = id;
            }
        }
        int[] excluded = excluded(model, seen, filters);
        List<String> unknownItems = new ArrayList<>(unknown);
        if (count == 0) {
            return CompletableFuture.completedFuture(new Recommendation(model.popular(k, excluded), model.version(),
                    Recommendation.POPULARITY, unknownItems));
        }
        int[] input = Arrays.copyOfRange(known, Math.max(0, count - model.maxHistory()), count);
        float[] vector = model.encode(input);
        CompletableFuture<float[]> scores;
        if (batcher == null) {
            float[][] rows = new float[1][model.numItems() + 1];
            model.scoreAll(new float[][] {vector}, 1, rows);
            scores = CompletableFuture.completedFuture(rows[0]);
        } else {
            scores = batcher.submit(model, vector);
        }
        return scores.thenApply(row -> new Recommendation(model.best(row, k, excluded), model.version(), null,
                unknownItems));
    }

    private static int[] excluded(ServingModel model, List<String> seen, RecommendationFilters filters) {
        Stream<String> items = filters.excludeSeen() ? Stream.concat(seen.stream(), filters.excludedItems().stream())
                : filters.excludedItems().stream();
        return items.mapToInt(model::itemId).filter(id -> id != IdMapping.UNKNOWN).toArray();
    }

    private void checkK(int k) {
        if (k < 1 || k > config.maxK()) {
            throw new IllegalArgumentException("k must be between 1 and " + config.maxK() + ", got " + k);
        }
    }

    private void checkId(String what, String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        if (id.length() > config.maxIdLength()) {
            throw new IllegalArgumentException(what + " is " + id.length() + " characters long; at most "
                    + config.maxIdLength() + " are accepted");
        }
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Stops the scoring threads after the queued requests; the store stays open (the caller owns it). */
    @Override
    public void close() {
        if (batcher != null) {
            batcher.close();
        }
    }

    /** Asked about an item the current model does not know. */
    public static final class UnknownItemException extends RuntimeException {
        public UnknownItemException(String item, String modelVersion) {
            super("item '" + item + "' is unknown to model " + modelVersion);
        }
    }
}
