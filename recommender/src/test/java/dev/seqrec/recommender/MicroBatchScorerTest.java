package dev.seqrec.recommender;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

/** Whatever scoring throws, every request gets an answer and the workers keep scoring. */
class MicroBatchScorerTest {
    /** Far longer than scoring the test model takes: a future still open by then was never going to complete. */
    private static final long ANSWER_SECONDS = 30;
    private static final int[] HISTORY = {3, 7};
    private static final int MAX_BATCH = 16;

    @TempDir
    Path dir;

    @Test
    void anErrorWhileScoringFailsItsRequestAndTheWorkerScoresTheNext() throws Exception {
        ServingModel model = TestCheckpoints.model(dir.resolve("ckpt"), 1);
        OutOfMemoryError error = new OutOfMemoryError("test: no room for the batch's scores");
        AtomicInteger calls = new AtomicInteger();
        MicroBatchScorer.Scoring failingFirst = (m, vectors, count, scores) -> {
            if (calls.getAndIncrement() == 0) {
                throw error;
            }
            m.scoreAll(vectors, count, scores);
        };
        float[] vector = model.encode(HISTORY);
        // one worker: had the error ended it, nothing would score the second request
        try (MicroBatchScorer scorer = new MicroBatchScorer(1, MAX_BATCH, failingFirst)) {
            CompletableFuture<float[]> failed = scorer.submit(model, vector);
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> failed.get(ANSWER_SECONDS, TimeUnit.SECONDS));
            assertSame(error, failure.getCause());
            assertArrayEquals(model.score(HISTORY), scorer.submit(model, vector).get(ANSWER_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void anErrorWhileScoringOneModelsGroupFailsTheRestOfTheBatchToo() throws Exception {
        ServingModel model = TestCheckpoints.model(dir.resolve("ckpt"), 1);
        ServingModel next = TestCheckpoints.model(dir.resolve("next"), 2);
        CountDownLatch scoringFirst = new CountDownLatch(1);
        CountDownLatch othersQueued = new CountDownLatch(1);
        AssertionError error = new AssertionError("test: the batch's first group fails");
        AtomicInteger calls = new AtomicInteger();
        // The first request holds the worker until two more have queued, so those two are scored as one batch
        MicroBatchScorer.Scoring scoring = (m, vectors, count, scores) -> {
            int call = calls.getAndIncrement();
            if (call == 0) {
                scoringFirst.countDown();
                Latches.await(othersQueued);
            } else if (call == 1) {
                throw error;
            }
            m.scoreAll(vectors, count, scores);
        };
        try (MicroBatchScorer scorer = new MicroBatchScorer(1, MAX_BATCH, scoring)) {
            CompletableFuture<float[]> first = scorer.submit(model, model.encode(HISTORY));
            Latches.await(scoringFirst);
            CompletableFuture<float[]> failing = scorer.submit(model, model.encode(HISTORY));
            CompletableFuture<float[]> rest = scorer.submit(next, next.encode(HISTORY));
            othersQueued.countDown();
            assertArrayEquals(model.score(HISTORY), first.get(ANSWER_SECONDS, TimeUnit.SECONDS));
            for (CompletableFuture<float[]> request : List.of(failing, rest)) {
                ExecutionException failure = assertThrows(ExecutionException.class,
                        () -> request.get(ANSWER_SECONDS, TimeUnit.SECONDS));
                assertSame(error, failure.getCause());
            }
        }
    }

    @Test
    void closingFromACallbackOnTheScoringThreadReturnsAndFailsTheQueuedJobs() throws Exception {
        ServingModel model = TestCheckpoints.model(dir.resolve("ckpt"), 1);
        CountDownLatch firstTaken = new CountDownLatch(1);
        CountDownLatch othersQueued = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        MicroBatchScorer.Scoring scoring = (m, vectors, count, scores) -> {
            if (calls.getAndIncrement() == 0) {
                firstTaken.countDown();
                Latches.await(othersQueued);
            }
            m.scoreAll(vectors, count, scores);
        };
        float[] vector = model.encode(HISTORY);
        // one worker, which runs the callback that closes the scorer
        MicroBatchScorer scorer = new MicroBatchScorer(1, MAX_BATCH, scoring);
        CompletableFuture<float[]> first = scorer.submit(model, vector);
        CompletableFuture<Void> closing = first.thenRun(scorer::close);
        Latches.await(firstTaken); // the others must queue behind the first batch, not join it
        List<CompletableFuture<float[]>> queued = List.of(scorer.submit(model, vector), scorer.submit(model, vector));
        othersQueued.countDown();

        closing.get(ANSWER_SECONDS, TimeUnit.SECONDS);
        assertArrayEquals(model.score(HISTORY), first.get(ANSWER_SECONDS, TimeUnit.SECONDS));
        for (CompletableFuture<float[]> job : queued) {
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> job.get(ANSWER_SECONDS, TimeUnit.SECONDS));
            assertEquals("recommender is closed", failure.getCause().getMessage());
        }
    }
}
