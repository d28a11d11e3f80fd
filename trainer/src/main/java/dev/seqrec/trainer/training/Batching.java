package dev.seqrec.trainer.training;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How an epoch's shuffled samples are cut into batches. */
public enum Batching {
    /**
     * The reference's, and the default: consecutive batches of a uniform permutation (spec section 2). The encoder
     * runs on each batch's positions alone (packed rows), so mixed lengths cost no padding, and its test figures came
     * closer to the reference's (trainer/results/2026-11-26).
     */
    UNIFORM,
    /**
     * A uniform permutation cut into windows of {@link TrainingOptions#bucketBatches()} batches; each window is sorted
     * by history length before it is cut into batches, and the batches are shuffled. A batch therefore holds
     * histories of similar length: a run of neighbouring lengths in its window's sorted order, and within a window no
     * two batches' length ranges overlap except at a shared boundary length. It is not one length per batch: a batch
     * that straddles the boundary between two lengths, or falls among the rare long histories, mixes several (on
     * Beauty, batch 256 and 64 batches per window, 185 of 514 batches held more than one length, one of them 30).
     * Each sample is still seen once per epoch, but the in-batch negatives are not the reference's (on Beauty the test
     * figures came out 3-4% lower for the same validation figures). Since the encoder runs on packed positions it is
     * hardly faster than uniform batching (2-7% a SASRec step, within the machine's noise).
     */
    LENGTH_BUCKETS;

    /** The option's spelling: {@code uniform}, {@code length-buckets}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The labels, comma-separated, for help texts and errors. */
    public static String labels() {
        return Arrays.stream(values()).map(Batching::label).collect(Collectors.joining(", "));
    }

    /** Parses a label such as {@code length-buckets}, with an error naming the option and listing the valid values. */
    public static Batching parse(String label) {
        for (Batching batching : values()) {
            if (batching.label().equals(label.toLowerCase(Locale.ROOT))) {
                return batching;
            }
        }
        throw new IllegalArgumentException("unknown --batching '" + label + "'; valid values: " + labels());
    }
}
