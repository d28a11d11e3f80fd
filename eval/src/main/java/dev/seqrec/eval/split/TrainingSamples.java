package dev.seqrec.eval.split;

/**
 * Every training prefix: history (oldest first, capped) and its next item. Index i of both arrays is one sample.
 */
public record TrainingSamples(int[][] histories, int[] targets) {
    public int size() {
        return targets.length;
    }
}
