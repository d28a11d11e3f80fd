package dev.seqrec.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ComputeThreadsTest {

    @Test
    void threadCountAppliesToBlasAsWellAsNd4jLoops() {
        withThreads(1, () -> {
            assertEquals(1, Nd4j.getEnvironment().maxMasterThreads());
            assertEquals(1, Nd4j.factory().blas().getMaxThreads());
        });
    }

    @Test
    void everyShareRunsOnceWithTheCountOfThreads() {
        withThreads(3, () -> {
            int[] runs = new int[3];
            ComputeThreads.inShares((index, count) -> {
                assertEquals(3, count);
                runs[index]++;
            });
            assertArrayEquals(new int[] {1, 1, 1}, runs);
        });
    }

    @Test
    void aSharesFailureReachesTheCaller() {
        withThreads(2, () -> {
            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> ComputeThreads.inShares((index, count) -> {
                        if (index == 1) {
                            throw new IllegalStateException("share 1 failed");
                        }
                    }));
            assertEquals("share 1 failed", thrown.getMessage());
        });
    }

    @Test
    void whenTheCallersShareFailsTheOthersHaveFinishedBeforeTheFailureReachesIt() {
        withThreads(2, () -> {
            AtomicBoolean otherDone = new AtomicBoolean();
            assertThrows(IllegalStateException.class, () -> ComputeThreads.inShares((index, count) -> {
                if (index == 0) {
                    throw new IllegalStateException("share 0 failed");
                }
                sleepQuietly(200);
                otherDone.set(true);
            }));
            // the other share writes into the caller's arrays: it must not still run once the call has returned
            assertTrue(otherDone.get());
        });
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aKernelWhosePoolWasShutDownUnderItStillRunsEveryShare() {
        ExecutorService replaced = Executors.newFixedThreadPool(2);
        replaced.shutdown();
        int[] runs = new int[3];
        ComputeThreads.inShares(replaced, 3, (index, count) -> runs[index]++);
        assertArrayEquals(new int[] {1, 1, 1}, runs);
    }

    @Test
    void fewerThanOneThreadIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ComputeThreads.use(0));
    }

    /** Runs {@code body} with {@code threads} compute threads, then puts back the settings other tests run with. */
    static void withThreads(int threads, Runnable body) {
        int nd4jBefore = Nd4j.getEnvironment().maxMasterThreads();
        int blasBefore = Nd4j.factory().blas().getMaxThreads();
        try {
            ComputeThreads.use(threads);
            body.run();
        } finally {
            ComputeThreads.use(1);
            Nd4j.getEnvironment().setMaxMasterThreads(nd4jBefore);
            Nd4j.factory().blas().setMaxThreads(blasBefore);
        }
    }
}
