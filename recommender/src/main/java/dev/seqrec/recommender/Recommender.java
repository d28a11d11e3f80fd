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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The embeddable recommender: next-item recommendations for a history or for a user's live sequence, similar items,
 * and an atomically swappable model. Thread-safe; the HTTP service is a thin layer over it.
 *
 * <p>Every call reads the current model once at its start, so a call in flight finishes on the model it started
 * with even if {@link #swapModel} replaces it meanwhile.
 *
 * <p>Errors: a bad argument throws {@link IllegalArgumentException} with a message naming the problem (a
 * {@code null} id counts as empty), and a {@code null} history, filters or model {@link NullPointerException} naming
 * it, from the call itself: the async methods too, whose futures fail only with what went wrong while scoring. After
 * {@link #close()} every method but {@link #model()} and {@code close()} throws {@link IllegalStateException}
 * ("recommender is closed").
 *
 * <p>Threads: with micro-batching (the default), a history the model scores is scored on the recommender's scoring
 * threads. The future of an async method then completes on another of the recommender's threads
 * ({@code seqrec-answer-*}, made as needed), never a scoring thread: a slow callback holds up no other request, and a
 * callback may block, wait for another answer or close the recommender. The synchronous methods wait for the scoring
 * thread directly. Answers that need no scoring (the popularity fallback), and every answer with micro-batching off,
 * are computed by the calling thread: their futures are complete when returned.
 */
public final class Recommender implements AutoCloseable {
    private final AtomicReference<ServingModel> current;
    private final SequenceStore store;
    private final RecommenderConfig config;
    private final MicroBatchScorer batcher;
    /** Completes the async methods' futures off the scoring threads; unbounded, as callbacks may wait on answers. */
    private final ExecutorService answerThreads;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param store the live sequences for {@link #recommendForUser} and {@link #history}; may be {@code null} when only
     *              histories are used
     */
    public Recommender(ServingModel model, SequenceStore store, RecommenderConfig config) {
        this(model, store, config, ServingModel::scoreAll);
    }

    /** Micro-batches are scored by {@code scoring}: tests hold up or fail the scoring with it. */
    Recommender(ServingModel model, SequenceStore store, RecommenderConfig config, MicroBatchScorer.Scoring scoring) {
        this.current = new AtomicReference<>(Objects.requireNonNull(model, "model"));
        this.store = store;
        this.config = Objects.requireNonNull(config, "config");
        this.batcher = config.microBatching()
                ? new MicroBatchScorer(config.scoringThreads(), config.maxBatch(), scoring) : null;
        AtomicInteger threads = new AtomicInteger();
        this.answerThreads = config.microBatching() ? Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "seqrec-answer-" + threads.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        }) : null;
    }

    /**
     * The model serving now, which every later call reads (a call in flight may still finish on the one before). It
     * still answers after {@link #close()}, with the last model served.
     */
    public ServingModel model() {
        return current.get();
    }

    /** Replaces the model for every later call and returns the one it replaced. */
    public ServingModel swapModel(ServingModel next) {
        checkOpen();
        return current.getAndSet(Objects.requireNonNull(next, "model"));
    }

    /**
     * {@link #recommendAsync}, waited for. What went wrong while scoring is thrown as it was thrown (an {@link Error}
     * too), not wrapped.
     */
    public Recommendation recommend(List<String> history, int k, RecommendationFilters filters) {
        return join(historyAnswer(history, k, filters));
    }

    /**
     * {@link #recommendForUserAsync}, waited for. What went wrong while scoring is thrown as it was thrown (an
     * {@link Error} too), not wrapped.
     */
    public Recommendation recommendForUser(String userId, int k, RecommendationFilters filters) {
        return join(userAnswer(userId, k, filters));
    }

    /**
     * Recommendations from the user's live sequence in the store: the model reads the sequence's last
     * {@link ServingModel#maxHistory()} items, and {@code excludeSeen} removes the last
     * {@link RecommenderConfig#seenWindow()}. An unknown user gets the popularity fallback.
     *
     * @param k 1..{@link RecommenderConfig#maxK()}; fewer items come back where filters or the catalogue leave fewer
     * @return the answer (see the class comment for the thread that completes it); it fails with what went wrong
     *         while scoring, or with {@link IllegalStateException} where {@link #close()} ran before it was scored
     * @throws IllegalArgumentException for an empty or over-long user id, or k out of range
     * @throws IllegalStateException    without a sequence store, or after {@link #close()}
     */
    public CompletableFuture<Recommendation> recommendForUserAsync(String userId, int k, RecommendationFilters filters) {
        return handedOver(userAnswer(userId, k, filters));
    }

    private CompletableFuture<Recommendation> userAnswer(String userId, int k, RecommendationFilters filters) {
        checkOpen();
        Objects.requireNonNull(filters, "filters");
        checkId("user id", userId);
        checkK(k);
        ServingModel model = current.get();
        // The model reads its whole history whatever the seen window, which limits only what excludeSeen removes
        List<String> recent = recentItems(userId, Math.max(config.seenWindow(), model.maxHistory()));
        List<String> seen = recent.subList(Math.max(0, recent.size() - config.seenWindow()), recent.size());
        return answer(model, recent, seen, k, filters);
    }

    /**
     * Recommendations after a history of original item ids, oldest first. Items the model does not know are skipped
     * and listed in {@link Recommendation#unknownItems()}; a history without a known item gets the popularity
     * fallback; the model reads the last {@link ServingModel#maxHistory()} known items.
     *
     * @param history at most {@link RecommenderConfig#maxHistoryItems()} item ids
     * @param k       1..{@link RecommenderConfig#maxK()}; fewer items come back where filters or the catalogue leave
     *                fewer
     * @return the answer (see the class comment for the thread that completes it); it fails with what went wrong
     *         while scoring, or with {@link IllegalStateException} where {@link #close()} ran before it was scored
     * @throws IllegalArgumentException for too long a history, an empty or over-long item id, or k out of range
     * @throws IllegalStateException    after {@link #close()}
     */
    public CompletableFuture<Recommendation> recommendAsync(List<String> history, int k, RecommendationFilters filters) {
        return handedOver(historyAnswer(history, k, filters));
    }

    private CompletableFuture<Recommendation> historyAnswer(List<String> history, int k,
                                                           RecommendationFilters filters) {
        checkOpen();
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(filters, "filters");
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

    /** The limits and defaults this recommender applies. */
    public RecommenderConfig config() {
        return config;
    }

    /**
     * The user's most recent {@code n} items, oldest first; empty for an unknown user.
     *
     * @param n 1..{@link RecommenderConfig#seenWindow()}, which bounds a history answer as well as what
     *          {@code excludeSeen} removes
     * @throws IllegalArgumentException for an empty or over-long user id, or n out of range
     * @throws IllegalStateException    without a sequence store, or after {@link #close()}
     */
    public List<String> history(String userId, int n) {
        checkOpen();
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
     * Items whose embeddings are closest (cosine) to the given item's, best first, the item itself left out.
     *
     * @param k 1..{@link RecommenderConfig#maxK()}; at most N - 1 items come back
     * @throws UnknownItemException     if the model does not know the item
     * @throws IllegalArgumentException for an empty or over-long item id, or k out of range
     * @throws IllegalStateException    after {@link #close()}
     */
    public Recommendation similarItems(String itemId, int k) {
        checkOpen();
        checkId("item id", itemId);
        checkK(k);
        ServingModel model = current.get();
        int id = model.itemId(itemId);
        if (id == IdMapping.UNKNOWN) {
            throw new UnknownItemException(itemId, model.version());
        }
        return new Recommendation(model.similar(id, k), model.version(), null, List.of());
    }

    /**
     * The answer as a future completed by the thread that computes it.
     *
     * @param seen the items {@code excludeSeen} removes: the history, or its most recent part
     */
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

    /** The future for a caller: an answer still being scored completes it on an answer thread, unchanged. */
    private CompletableFuture<Recommendation> handedOver(CompletableFuture<Recommendation> answer) {
        return answer.isDone() ? answer
                : answer.whenCompleteAsync((recommendation, error) -> { }, this::onAnswerThread);
    }

    private void onAnswerThread(Runnable completion) {
        try {
            answerThreads.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run(); // an answer of a batch that close() stopped waiting for (interrupted): late beats never
        }
    }

    private static int[] excluded(ServingModel model, List<String> seen, RecommendationFilters filters) {
        Stream<String> items = filters.excludeSeen() ? Stream.concat(seen.stream(), filters.excludedItems().stream())
                : filters.excludedItems().stream();
        return items.mapToInt(model::itemId).filter(id -> id != IdMapping.UNKNOWN).toArray();
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new ClosedException();
        }
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
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Refuses every later call but {@link #model()}, fails the requests still waiting to be scored with
     * {@link IllegalStateException} ("recommender is closed"), and returns once the batches being scored are done;
     * the store stays open (the caller owns it). Closing again does nothing and returns at once, even while the first
     * close still waits; a callback of the recommender's futures may close it.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && batcher != null) {
            batcher.close();
            answerThreads.shutdown(); // without waiting: the caller may be one of them, and what they hold still runs
        }
    }

    /** A call after {@link #close()}, or a request that close() found still waiting to be scored. */
    public static final class ClosedException extends IllegalStateException {
        public ClosedException() {
            super("recommender is closed");
        }
    }

    /** Asked about an item the current model does not know. */
    public static final class UnknownItemException extends RuntimeException {
        public UnknownItemException(String item, String modelVersion) {
            super("item '" + item + "' is unknown to model " + modelVersion);
        }
    }
}
