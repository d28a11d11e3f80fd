package dev.seqrec.trainer.training;

/** How an epoch's shuffled samples are cut into batches. */
public enum Batching {
    /**
     * The reference's, and the default: consecutive batches of a uniform permutation (spec section 2). The encoder
     * still runs each batch in length groups ({@code SequenceBatch.lengthGroups}), so this costs about 1.15x the
     * buckets' work, and its test figures came closer to the reference's (trainer/results/2026-11-26).
     */
    UNIFORM,
    /** A uniform permutation cut into windows of {@link TrainingOptions#bucketBatches()} batches; each window is sorted
     *  by history length before cutting, and the batches are shuffled. Batches then hold histories of one length, the
     *  fastest to run; each sample is still seen once per epoch, but the in-batch negatives are not the reference's
     *  (on Beauty the test figures came out 3-4% lower for the same validation figures). */
    LENGTH_BUCKETS
}
