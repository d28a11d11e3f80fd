package dev.seqrec.eval;

/**
 * Anything that scores every item as the next one after a history. The evaluator knows models only through this.
 */
public interface NextItemScorer {

    /** Short name for reports, such as {@code pop} or {@code mclrec}. */
    String name();

    /** Number of items N; scores have N + 1 columns, column 0 being padding (ignored by the evaluator). */
    int numItems();

    /**
     * Scores a batch of histories.
     *
     * @param histories dense item ids, oldest first, each non-empty
     * @param scores    output, [histories.length][numItems() + 1]; higher is better; never NaN (the evaluator refuses
     *                  a case with a NaN score, see {@link FullRankingEvaluator#ranks}); every column 1..N must be
     *                  written, as the evaluator reuses the rows from batch to batch
     */
    void score(int[][] histories, float[][] scores);

    /** Histories per {@link #score} call that suits this scorer. */
    default int batchSize() {
        return 256;
    }
}
