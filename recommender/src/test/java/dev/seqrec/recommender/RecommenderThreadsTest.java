package dev.seqrec.recommender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqrec.recommender.model.ServingModel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which threads answer, and what happens to requests waiting to be scored. One scoring thread, held up at will through
 * the recommender's scoring hook, so that requests queue behind the one being scored.
 */
class RecommenderThreadsTest {
    /** Far longer than any step here takes: only a hang runs into it. */
    private static final long WAIT_SECONDS = 30;
    private static final List<String> HISTORY = List.of("i3", "i7");
    private static final int K = 5;

    @TempDir
    Path dir;

    @Test
    void closingFromACallbackOfAnAnswerReturnsAndFailsTheQueuedRequests() throws Exception {
        ServingModel model = TestCheckpoints.model(dir.resolve("ckpt"), 1);
        CountDownLatch callbackRegistered = new CountDownLatch(1);
        CountDownLatch callbackRunning = new CountDownLatch(1);
        CountDownLatch scoringSecond = new CountDownLatch(1);
        CountDownLatch queued = new CountDownLatch(1);
        CountDownLatch queuedAnswered = new CountDownLatch(2);
        AtomicInteger calls = new AtomicInteger();
        MicroBatchScorer.Scoring scoring = (m, vectors, count, scores) -> {
            int call = calls.getAndIncrement();
            if (call == 0) {
                Latches.await(callbackRegistered);
            } else if (call == 1) { // held until close() has answered the requests queued behind it
                scoringSecond.countDown();
                Latches.await(queuedAnswered);
            }
            m.scoreAll(vectors, count, scores);
        };
        try (Recommender recommender = new Recommender(model, null, oneScoringThread(), scoring)) {
            CompletableFuture<Recommendation> first = recommender.recommendAsync(HISTORY, K,
                    RecommendationFilters.NONE);
            CompletableFuture<Void> closing = first.thenRun(() -> {
                callbackRunning.countDown();
                Latches.await(queued);
                recommender.close();
            });
            callbackRegistered.countDown();
            // The callback waits (the thread that completed the answer may signal first.get() only afterwards), and
            // the scoring thread scores on all the same
            Latches.await(callbackRunning);
            CompletableFuture<Recommendation> inProgress = recommender.recommendAsync(HISTORY, K,
                    RecommendationFilters.NONE);
            Latches.await(scoringSecond);
            List<CompletableFuture<Recommendation>> waiting = List.of(
                    recommender.recommendAsync(HISTORY, K, RecommendationFilters.NONE),
                    recommender.recommendAsync(HISTORY, K, RecommendationFilters.NONE));
            waiting.forEach(request -> request.whenComplete((answer, error) -> queuedAnswered.countDown()));
            queued.countDown();

            closing.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(unbatched(model), first.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertEquals(unbatched(model), inProgress.get(WAIT_SECONDS, TimeUnit.SECONDS));
            for (CompletableFuture<Recommendation> request : waiting) {
                ExecutionException failure = assertThrows(ExecutionException.class,
                        () -> request.get(WAIT_SECONDS, TimeUnit.SECONDS));
                assertTrue(failure.getCause() instanceof IllegalStateException, failure.getCause().toString());
                assertEquals("recommender is closed", failure.getCause().getMessage());
            }
        }
    }

    @Test
    void aMicroBatchStraddlingAModelSwapAnswersEachRequestWithItsOwnModel() throws Exception {
        ServingModel before = TestCheckpoints.model(dir.resolve("before"), 1);
        ServingModel after = TestCheckpoints.model(dir.resolve("after"), 2);
        CountDownLatch scoringFirst = new CountDownLatch(1);
        CountDownLatch othersQueued = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        MicroBatchScorer.Scoring scoring = (m, vectors, count, scores) -> {
            if (calls.getAndIncrement() == 0) { // the next two requests queue up, to be taken as one batch
                scoringFirst.countDown();
                Latches.await(othersQueued);
            }
            m.scoreAll(vectors, count, scores);
        };
        try (Recommender recommender = new Recommender(before, null, oneScoringThread(), scoring)) {
            CompletableFuture<Recommendation> first = recommender.recommendAsync(HISTORY, K,
                    RecommendationFilters.NONE);
            Latches.await(scoringFirst);
            CompletableFuture<Recommendation> beforeSwap = recommender.recommendAsync(HISTORY, K,
                    RecommendationFilters.NONE);
            recommender.swapModel(after);
            CompletableFuture<Recommendation> afterSwap = recommender.recommendAsync(HISTORY, K,
                    RecommendationFilters.NONE);
            othersQueued.countDown();

            assertEquals(unbatched(before), first.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertEquals(unbatched(before), beforeSwap.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertEquals(unbatched(after), afterSwap.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertNotEquals(before.version(), after.version());
        }
    }

    @Test
    void anErrorWhileScoringReachesTheCallerAsItWasThrown() {
        ServingModel model = TestCheckpoints.model(dir.resolve("ckpt"), 1);
        OutOfMemoryError error = new OutOfMemoryError("test: no room for the batch's scores");
        MicroBatchScorer.Scoring failing = (m, vectors, count, scores) -> {
            throw error;
        };
        try (Recommender recommender = new Recommender(model, null, oneScoringThread(), failing)) {
            assertSame(error, assertThrows(OutOfMemoryError.class,
                    () -> recommender.recommend(HISTORY, K, RecommendationFilters.NONE)));
            ExecutionException failure = assertThrows(ExecutionException.class, () -> recommender
                    .recommendAsync(HISTORY, K, RecommendationFilters.NONE).get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertSame(error, failure.getCause());
        }
    }

    private static RecommenderConfig oneScoringThread() {
        RecommenderConfig defaults = RecommenderConfig.defaults();
        return new RecommenderConfig(defaults.maxK(), defaults.maxIdLength(), defaults.maxHistoryItems(),
                defaults.seenWindow(), true, defaults.maxBatch(), 1);
    }

    private static Recommendation unbatched(ServingModel model) {
        try (Recommender direct = new Recommender(model, null, RecommenderConfig.defaults().withMicroBatching(false))) {
            return direct.recommend(HISTORY, K, RecommendationFilters.NONE);
        }
    }
}
