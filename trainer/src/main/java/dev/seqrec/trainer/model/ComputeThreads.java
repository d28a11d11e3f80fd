package dev.seqrec.trainer.model;

import org.nd4j.linalg.factory.Nd4j;

/**
 * The threads ND4J computes with: its own loops and the BLAS library's matrix products, which have separate
 * settings. Setting only ND4J's left the products on every core, so that {@code --threads 1} ran slower than either
 * setting alone (measured on 2 cores: 153 ms a SASRec step against 133 ms with both at one thread).
 */
public final class ComputeThreads {
    private ComputeThreads() {
    }

    /** Uses {@code threads} for ND4J's loops and BLAS alike, for the whole process. */
    public static void use(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        ComputeBackend.start();
        // libnd4j's parallel loops use the master-thread count; its maxThreads (the pool's size) only ever grows
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }
}
