package dev.seqrec.trainer.checkpoint;

import dev.seqrec.eval.data.SequenceDataset;
import dev.seqrec.eval.split.LeaveOneOutSplit;

/** Interactions per item in the training part of a dataset (every user's items but the last two). */
public final class ItemCounts {
    private ItemCounts() {
    }

    /** Index i - 1 holds the count of dense item i. */
    public static long[] training(SequenceDataset data) {
        long[] counts = new long[data.numItems()];
        for (int[] sequence : data.sequences()) {
            for (int item : LeaveOneOutSplit.trainingPart(sequence)) {
                counts[item - 1]++;
            }
        }
        return counts;
    }
}
