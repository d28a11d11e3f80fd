package dev.seqrec.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class MaskedAttentionTest {
    private static final int HEADS = 2;
    /**
     * Eleven: the vector loops' full vectors (8 or 4 doubles wide) and their remainder both run, as do the scalar
     * loops' four-wide part and remainder without the vector API.
     */
    private static final int HEAD_SIZE = 11;
    private static final int D = HEADS * HEAD_SIZE;
    private static final double HIDDEN_KEY = -10000.0;
    private static final MaskedAttention ATTENTION = new MaskedAttention(HEADS, HEAD_SIZE);
    /**
     * Three histories: one with a blanked item, one shorter than the others whose last item is blanked, one starting
     * with a blanked item (its first position sees no key at all). Packed, their positions are rows 0-2, 3-4, 5-7.
     */
    private static final SequenceBatch BATCH = SequenceBatch.of(new int[][] {{5, 0, 7}, {8, 0}, {0, 4, 6}}, 50);
    private static final int POSITIONS = 8;
    /** The row of the third history's first position, whose only key is its own blanked item. */
    private static final int FULLY_HIDDEN_ROW = 5;

    @Test
    void everyPositionAttendsAsASoftmaxWithTheReferencesAdditiveMaskThenDropout() {
        INDArray qkv = TestArrays.gaussian(1, POSITIONS, 3 * D, DataType.DOUBLE);
        DropoutMask drop = dropMask(2, false);
        INDArray context = ATTENTION.forwardAll(qkv, BATCH, drop).context();
        double[][] expected = additiveMaskAttention(qkv, drop);
        for (int row = 0; row < POSITIONS; row++) {
            boolean seesNoKey = row == FULLY_HIDDEN_ROW; // see the next test
            for (int c = 0; c < D && !seesNoKey; c++) {
                assertEquals(expected[row][c], context.getDouble(row, c), 1e-12, "row " + row + " column " + c);
            }
        }
    }

    @Test
    void theLastPositionsAloneGiveTheFullAttentionsLastRows() {
        INDArray qkv = TestArrays.gaussian(2, POSITIONS, 3 * D, DataType.DOUBLE);
        INDArray full = ATTENTION.forwardAll(qkv, BATCH, null).context();
        INDArray lastQueries = Nd4j.create(DataType.DOUBLE, 3, D);
        for (int b = 0; b < 3; b++) {
            lastQueries.putRow(b, qkv.getRow(lastRow(b)).get(NDArrayIndex.interval(0, D)));
        }
        INDArray kv = qkv.get(NDArrayIndex.all(), NDArrayIndex.interval(D, 3 * D)).dup();
        INDArray last = ATTENTION.forwardLast(lastQueries, kv, BATCH, null).context();
        for (int b = 0; b < 3; b++) {
            TestArrays.assertClose(full.getRow(lastRow(b)), last.getRow(b), 1e-12, "history " + b);
        }
    }

    @Test
    void aQueryThatSeesNoKeyAttendsToItsCausalWindow() {
        // the third history's first position sees only its own blanked item: all its weight goes to that item
        INDArray qkv = TestArrays.gaussian(3, POSITIONS, 3 * D, DataType.DOUBLE);
        INDArray context = ATTENTION.forwardAll(qkv, BATCH, null).context();
        TestArrays.assertClose(qkv.getRow(FULLY_HIDDEN_ROW).get(NDArrayIndex.interval(2 * D, 3 * D)),
                context.getRow(FULLY_HIDDEN_ROW), 1e-12, "fully hidden row");
    }

    @Test
    void aHistoryOfBlankedItemsGetsTheSameAttentionWhateverTheBatchItRunsIn() {
        SequenceBatch alone = SequenceBatch.of(new int[][] {{0, 0}}, 50);
        SequenceBatch beside = SequenceBatch.of(new int[][] {{0, 0}, {1, 2, 3, 4}}, 50);
        INDArray both = TestArrays.gaussian(4, 6, 2 * D, DataType.DOUBLE);
        INDArray itsOwn = both.get(NDArrayIndex.interval(0, 2), NDArrayIndex.all()).dup();
        INDArray queries = TestArrays.gaussian(5, 2, D, DataType.DOUBLE);
        INDArray inBatch = ATTENTION.forwardLast(queries, both, beside, null).context().getRow(0);
        INDArray onItsOwn = ATTENTION.forwardLast(queries.getRow(0).reshape(1, D), itsOwn, alone, null).context()
                .getRow(0);
        TestArrays.assertClose(onItsOwn, inBatch, 1e-12, "the blanked history's context");
    }

    @Test
    void gradientsOfEveryPositionMatchCentralDifferences() {
        INDArray qkv = TestArrays.gaussian(4, POSITIONS, 3 * D, DataType.DOUBLE);
        DropoutMask drop = dropMask(5, false);
        INDArray weights = TestArrays.gaussian(6, POSITIONS, D, DataType.DOUBLE);
        MaskedAttention.Output output = ATTENTION.forwardAll(qkv, BATCH, drop);
        INDArray gradient = ATTENTION.backwardAll(output.saved(), weights);
        INDArray numeric = TestArrays.centralDifferences(qkv, x -> ATTENTION.forwardAll(x, BATCH, drop).context(),
                weights);
        TestArrays.assertClose(numeric, gradient, 1e-7, "dqkv");
    }

    @Test
    void gradientsOfTheLastPositionsMatchCentralDifferences() {
        INDArray queries = TestArrays.gaussian(7, 3, D, DataType.DOUBLE);
        INDArray kv = TestArrays.gaussian(8, POSITIONS, 2 * D, DataType.DOUBLE);
        DropoutMask drop = dropMask(9, true);
        INDArray weights = TestArrays.gaussian(10, 3, D, DataType.DOUBLE);
        MaskedAttention.LastGradients gradients =
                ATTENTION.backwardLast(ATTENTION.forwardLast(queries, kv, BATCH, drop).saved(), weights);
        TestArrays.assertClose(TestArrays.centralDifferences(queries,
                q -> ATTENTION.forwardLast(q, kv, BATCH, drop).context(), weights), gradients.queries(), 1e-7, "dq");
        TestArrays.assertClose(TestArrays.centralDifferences(kv,
                x -> ATTENTION.forwardLast(queries, x, BATCH, drop).context(), weights), gradients.keysValues(), 1e-7,
                "dkv");
    }

    @Test
    void sharingTheWorkOverThreadsGivesTheSameNumbersAsOneThread() {
        INDArray qkv = TestArrays.gaussian(11, POSITIONS, 3 * D, DataType.DOUBLE);
        DropoutMask drop = dropMask(12, false);
        INDArray dContext = TestArrays.gaussian(13, POSITIONS, D, DataType.DOUBLE);
        MaskedAttention.Output alone = ATTENTION.forwardAll(qkv, BATCH, drop);
        INDArray aloneGradient = ATTENTION.backwardAll(alone.saved(), dContext);
        INDArray queries = TestArrays.gaussian(14, 3, D, DataType.DOUBLE);
        INDArray kv = qkv.get(NDArrayIndex.all(), NDArrayIndex.interval(D, 3 * D)).dup();
        DropoutMask lastDrop = dropMask(15, true);
        INDArray dLast = TestArrays.gaussian(16, 3, D, DataType.DOUBLE);
        MaskedAttention.Output lastAlone = ATTENTION.forwardLast(queries, kv, BATCH, lastDrop);
        MaskedAttention.LastGradients lastAloneGradients = ATTENTION.backwardLast(lastAlone.saved(), dLast);
        ComputeThreadsTest.withThreads(3, () -> { // a thread per history, two of them helpers
            MaskedAttention.Output shared = ATTENTION.forwardAll(qkv, BATCH, drop);
            assertEquals(alone.context(), shared.context());
            assertEquals(aloneGradient, ATTENTION.backwardAll(shared.saved(), dContext));
            MaskedAttention.Output lastShared = ATTENTION.forwardLast(queries, kv, BATCH, lastDrop);
            assertEquals(lastAlone.context(), lastShared.context());
            MaskedAttention.LastGradients lastSharedGradients = ATTENTION.backwardLast(lastShared.saved(), dLast);
            assertEquals(lastAloneGradients.queries(), lastSharedGradients.queries());
            assertEquals(lastAloneGradients.keysValues(), lastSharedGradients.keysValues());
        });
    }

    /**
     * Dense attention as the reference computes it: every column scored, -10000 added where hidden, then dropout. The
     * padding columns past a history's end are left out: hidden, their weight exp(-10000 - max) is exactly 0 for
     * every query that sees a key. The dropout mask is packed as the weights are: per history, query, head and key.
     */
    private static double[][] additiveMaskAttention(INDArray qkv, DropoutMask drop) {
        double[][] out = new double[POSITIONS][D];
        int maskRow = 0;
        for (int b = 0; b < 3; b++) {
            int n = BATCH.lengths()[b];
            int first = BATCH.firstRow(b);
            for (int i = 0; i < n; i++) {
                for (int h = 0; h < HEADS; h++, maskRow += n) {
                    double[] scores = new double[n];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        double dot = 0;
                        for (int k = 0; k < HEAD_SIZE; k++) {
                            dot += qkv.getDouble(first + i, h * HEAD_SIZE + k)
                                    * qkv.getDouble(first + j, D + h * HEAD_SIZE + k);
                        }
                        boolean visible = j <= i && BATCH.ids()[b * BATCH.width() + j] != 0;
                        scores[j] = dot / Math.sqrt(HEAD_SIZE) + (visible ? 0 : HIDDEN_KEY);
                        max = Math.max(max, scores[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < n; j++) {
                        scores[j] = Math.exp(scores[j] - max);
                        sum += scores[j];
                    }
                    for (int j = 0; j < n; j++) {
                        double kept = scores[j] / sum * drop.factor(maskRow + j);
                        for (int k = 0; k < HEAD_SIZE; k++) {
                            out[first + i][h * HEAD_SIZE + k] +=
                                    kept * qkv.getDouble(first + j, 2 * D + h * HEAD_SIZE + k);
                        }
                    }
                }
            }
        }
        return out;
    }

    private static int lastRow(int history) {
        return BATCH.firstRow(history + 1) - 1;
    }

    /** An inverted-dropout mask over the weights (every position's queries, or the last ones') with p = 0.5. */
    private static DropoutMask dropMask(long seed, boolean lastPositionsOnly) {
        return new DropoutMasks(seed).mask(0.5, ATTENTION.weights(BATCH, lastPositionsOnly));
    }
}
