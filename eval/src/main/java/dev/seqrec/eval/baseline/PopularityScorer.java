package dev.seqrec.eval.baseline;

import dev.seqrec.eval.NextItemScorer;
import dev.seqrec.eval.data.SequenceDataset;
import dev.seqrec.eval.split.LeaveOneOutSplit;

/**
 * Scores every item by how often it occurs in the training part of the data (each user's sequence without its last
 * two items), whatever the history. Validation and test items are never counted, so nothing leaks.
 */
public final class PopularityScorer implements NextItemScorer {
    public static final String NAME = "pop";

    private final float[] counts;

    private PopularityScorer(float[] counts) {
        this.counts = counts;
    }

    public static PopularityScorer fit(SequenceDataset dataset) {
        float[] counts = new float[dataset.numItems() + 1];
        for (int[] sequence : dataset.sequences()) {
            for (int item : LeaveOneOutSplit.trainingPart(sequence)) {
                counts[item]++;
            }
        }
        counts[0] = Float.NEGATIVE_INFINITY; // padding is never recommended
        return new PopularityScorer(counts);
    }

    /** Training occurrences of {@code item}. */
    public int count(int item) {
        return (int) counts[item];
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int numItems() {
        return counts.length - 1;
    }

    @Override
    public void score(int[][] histories, float[][] scores) {
        for (int b = 0; b < histories.length; b++) {
            System.arraycopy(counts, 0, scores[b], 0, counts.length);
        }
    }
}
