package dev.seqrec.recommender;

import dev.seqrec.recommender.model.ServingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores sequence vectors of concurrent requests together: a worker takes whatever has queued up (never waiting for
 * more), so an idle service answers at once and a busy one reads the item table once per batch instead of once per
 * request.
 *
 * <p>The futures complete on the scoring threads, so their callbacks hold up scoring while they run; one may close
 * the scorer.
 */
final class MicroBatchScorer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MicroBatchScorer.class);
    private static final long POLL_MILLIS = 100;

    private record Job(ServingModel model, float[] vector, CompletableFuture<float[]> scores) {
    }

    /** How a group of vectors is scored: {@link ServingModel#scoreAll}, or a stand-in that fails or waits, in tests. */
    @FunctionalInterface
    interface Scoring {
        void scoreAll(ServingModel model, float[][] vectors, int count, float[][] scores);
    }

    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final int maxBatch;
    private final Scoring scoring;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running = true;

    MicroBatchScorer(int threads, int maxBatch, Scoring scoring) {
        this.maxBatch = maxBatch;
        this.scoring = scoring;
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(this::work, "seqrec-scoring-" + i);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
    }

    /** Scores of every item (N + 1 columns) for the vector, computed by {@code model}. */
    CompletableFuture<float[]> submit(ServingModel model, float[] vector) {
        CompletableFuture<float[]> scores = new CompletableFuture<>();
        if (!running) {
            scores.completeExceptionally(closed());
            return scores;
        }
        Job job = new Job(model, vector, scores);
        queue.add(job);
        // close() may have drained the queue since the check: a job left there would never complete
        if (!running && queue.remove(job)) {
            scores.completeExceptionally(closed());
        }
        return scores;
    }

    private static IllegalStateException closed() {
        return new Recommender.ClosedException();
    }

    private void work() {
        List<Job> batch = new ArrayList<>(maxBatch);
        while (running) {
            try {
                Job first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                scoreByModel(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable e) {
                // An Error (out of memory, say) must not end the thread: its batch would never be answered, and once
                // every worker had died neither would any request. The rest of the batch fails too: scoring it would
                // allocate as much again.
                LOG.error("scoring a batch of {} failed; its requests get the error", batch.size(), e);
                batch.forEach(job -> job.scores().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * A batch can straddle a model swap: each job is scored by the model it was encoded with. A RuntimeException fails
     * its group only; an Error is thrown on to the worker.
     */
    private void scoreByModel(List<Job> batch) {
        List<Job> group = new ArrayList<>(batch.size());
        for (int start = 0; start < batch.size(); start += group.size()) {
            group.clear();
            ServingModel model = batch.get(start).model();
            for (int i = start; i < batch.size() && batch.get(i).model() == model; i++) {
                group.add(batch.get(i));
            }
            try {
                float[][] vectors = new float[group.size()][];
                float[][] scores = new float[group.size()][model.numItems() + 1];
                for (int i = 0; i < group.size(); i++) {
                    vectors[i] = group.get(i).vector();
                }
                scoring.scoreAll(model, vectors, group.size(), scores);
                for (int i = 0; i < group.size(); i++) {
                    group.get(i).scores().complete(scores[i]);
                }
            } catch (RuntimeException e) {
                group.forEach(job -> job.scores().completeExceptionally(e));
            }
        }
    }

    /**
     * Refuses further jobs, fails those no worker has taken with "recommender is closed", and waits for the batches
     * being scored, whose jobs get their scores.
     */
    @Override
    public void close() {
        running = false;
        for (Job job = queue.poll(); job != null; job = queue.poll()) {
            job.scores().completeExceptionally(closed());
        }
        for (Thread worker : workers) {
            if (worker == Thread.currentThread()) {
                continue; // closed by a callback of this worker's batch, which it finishes once the callback returns
            }
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }
}
