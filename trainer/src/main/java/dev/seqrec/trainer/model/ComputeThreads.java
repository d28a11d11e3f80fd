package dev.seqrec.trainer.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The threads ND4J computes with: its own loops and the BLAS library's matrix products, which have separate
 * settings. Setting only ND4J's left the products on every core, so that {@code --threads 1} ran slower than either
 * setting alone (measured on 2 cores: 153 ms a SASRec step against 133 ms with both at one thread). The kernels
 * written as Java loops (attention, layer norms) split their work over as many threads, where they used to leave all
 * but one core idle for a sixth of a SASRec step.
 */
public final class ComputeThreads {
    /** Threads for the Java kernels' shares past the caller's own: none until {@link #use} asks for more than one. */
    private static volatile Helpers helpers = new Helpers(null, 1);

    private record Helpers(ExecutorService pool, int shares) {
    }

    private ComputeThreads() {
    }

    /** Uses {@code threads} for ND4J's loops, BLAS and the Java kernels alike, for the whole process. */
    public static synchronized void use(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        ComputeBackend.start();
        // libnd4j's parallel loops use the master-thread count; its maxThreads (the pool's size) only ever grows
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        ExecutorService pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, task -> {
            Thread thread = new Thread(task, "seqrec-compute");
            thread.setDaemon(true);
            return thread;
        });
        ExecutorService old = helpers.pool();
        helpers = new Helpers(pool, threads);
        if (old != null) {
            old.shutdown();
        }
    }

    /** One share of a kernel's work: share {@code index} of {@code count}. */
    @FunctionalInterface
    interface Share {
        void run(int index, int count);
    }

    /**
     * Runs every share of {@code work}, the caller's thread taking share 0, and returns when all have finished. The
     * shares must write to disjoint places; how the work is shared must not change its result, so that a run gives
     * the same numbers on any number of threads.
     */
    static void inShares(Share work) {
        Helpers current = helpers;
        inShares(current.pool(), current.shares(), work);
    }

    /**
     * {@link #inShares(Share)} on a given pool. {@link #use} shuts the pool it replaces down, possibly after a kernel
     * on another thread read it: a share the pool refuses runs on the caller's thread instead.
     */
    static void inShares(ExecutorService pool, int count, Share work) {
        if (pool == null) {
            work.run(0, 1);
            return;
        }
        List<Future<?>> others = new ArrayList<>(count - 1);
        List<Integer> refused = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int index = i;
            try {
                others.add(pool.submit(() -> work.run(index, count)));
            } catch (RejectedExecutionException e) {
                refused.add(index);
            }
        }
        try {
            work.run(0, count);
            for (int index : refused) {
                work.run(index, count);
            }
        } finally {
            // the other shares write into the caller's arrays: wait for them even when this share failed
            awaitAll(others);
        }
    }

    private static void awaitAll(List<Future<?>> others) {
        for (Future<?> other : others) {
            try {
                other.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while a kernel's other shares ran", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (cause instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(cause);
            }
        }
    }
}
