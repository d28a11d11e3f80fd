package dev.seqrec.trainer.training;

/** How an epoch's shuffled samples are cut into batches. */
public enum Batching {
    /** The reference's: consecutive batches of a uniform permutation (spec section 2). Nearly every batch then holds
     *  a long history, so trimming saves little. */
    UNIFORM,
    /** A uniform permutation cut into windows of {@link TrainingOptions#bucketBatches()} batches; each window is sorted
     *  by history length before cutting, and the batches are shuffled. Batches are then trimmed to similar lengths,
     *  several times less work on short-history data; each sample is still seen once per epoch. */
    LENGTH_BUCKETS
}
