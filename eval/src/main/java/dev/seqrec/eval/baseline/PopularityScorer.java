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

    /** Training occurrences by item, exact (a float count stops growing at 2^24). */
    private final long[] counts;
    /** The counts as scores, the padding column never recommended. */
    private final float[] scores;

    private PopularityScorer(long[] counts) {
        this.counts = counts;
        this.scores = new float[counts.length];
        for (int item = 1; item < counts.length; item++) {
            scores[item] = counts[item];
        }
        scores[0] = Float.NEGATIVE_INFINITY;
    }

    public static PopularityScorer fit(SequenceDataset dataset) {
        long[] counts = new long[dataset.numItems() + 1];
        for (int[] sequence : dataset.sequences()) {
            for (int item : LeaveOneOutSplit.trainingPart(sequence)) {
                counts[item]++;
            }
        }
        return new PopularityScorer(counts);
    }

    /** Training occurrences of {@code item}. */
    public long count(int item) {
        return counts[item];
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
            System.arraycopy(this.scores, 0, scores[b], 0, this.scores.length);
        }
    }
}
