package dev.seqrec.eval;

import java.util.ArrayList;
import java.util.List;

/** A scorer for tests: the same score row for every history, and a record of the batch sizes it was asked for. */
class FixedScoresScorer implements NextItemScorer {
    private final float[] row;
    private final int batchSize;
    final List<Integer> batches = new ArrayList<>();

    FixedScoresScorer(int batchSize, float... row) {
        this.row = row;
        this.batchSize = batchSize;
    }

    FixedScoresScorer(float... row) {
        this(256, row);
    }

    @Override
    public String name() {
        return "fixed";
    }

    @Override
    public int numItems() {
        return row.length - 1;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public void score(int[][] histories, float[][] scores) {
        batches.add(histories.length);
        for (float[] out : scores) {
            System.arraycopy(row, 0, out, 0, row.length);
        }
    }
}
