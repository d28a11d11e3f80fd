package dev.seqrec.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class EncoderScorerTest {
    private static final EncoderConfig CONFIG = new EncoderConfig(6, 8, 2, 2, 16, 5, 0.5, 0.5, 1e-12, 0.02);

    private final EncoderScorer scorer = new EncoderScorer("t", CONFIG,
            EncoderWeights.initialise(CONFIG, 11, DataType.DOUBLE));

    @Test
    void aHistoryScoresTheSameAloneAsInABatchWithLongerHistories() {
        INDArray alone = scorer.encode(new int[][] {{3, 1}});
        INDArray batched = scorer.encode(new int[][] {{1, 2, 3, 4, 5}, {3, 1}, {6}});
        assertEquals(0.0, alone.getRow(0).distance2(batched.getRow(1)), 1e-12);
    }

    @Test
    void manyShortHistoriesAndTwoLongOnesEachEncodeAsTheyDoAlone() {
        int[][] histories = new int[152][];
        for (int i = 0; i < 150; i++) {
            histories[i] = new int[] {1 + i % CONFIG.numItems()};
        }
        histories[150] = new int[] {1, 2, 3, 4, 5};
        histories[151] = new int[] {5, 4, 3, 2};
        INDArray batched = scorer.encode(histories);
        for (int i : new int[] {0, 7, 149, 150, 151}) {
            INDArray alone = scorer.encode(new int[][] {histories[i]});
            assertEquals(0.0, alone.getRow(0).distance2(batched.getRow(i)), 1e-12, "history " + i);
        }
    }

    @Test
    void onlyTheLastMaxLengthItemsOfALongHistoryCount() {
        INDArray longer = scorer.encode(new int[][] {{6, 6, 1, 2, 3, 4, 5}});
        INDArray capped = scorer.encode(new int[][] {{1, 2, 3, 4, 5}});
        assertEquals(0.0, longer.distance2(capped), 1e-12);
    }

    @Test
    void thePaddingColumnScoresMinusInfinity() {
        float[][] scores = new float[1][CONFIG.numItems() + 1];
        scorer.score(new int[][] {{1, 2}}, scores);
        assertEquals(Float.NEGATIVE_INFINITY, scores[0][0]);
    }
}
