package dev.seqrec.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.UnaryOperator;
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
    /** The row of the third history's first position, whose only key is its own blanked item. */
    private static final int FULLY_HIDDEN_ROW = 6;
    /**
     * Three histories: one with a blanked item, one shorter than the width whose last item is blanked, one starting
     * with a blanked item (its first position sees no key at all).
     */
    private static final SequenceBatch BATCH = SequenceBatch.of(new int[][] {{5, 0, 7}, {8, 0}, {0, 4, 6}}, 50);

    @Test
    void everyPositionAttendsAsASoftmaxWithTheReferencesAdditiveMaskThenDropout() {
        INDArray qkv = TestArrays.gaussian(1, 9, 3 * D, DataType.DOUBLE);
        DropoutMask drop = dropMask(2, 3, 3);
        INDArray context = ATTENTION.forwardAll(qkv, BATCH, drop).context();
        double[][] expected = additiveMaskAttention(qkv, drop);
        for (int row = 0; row < 9; row++) {
            boolean pastTheEnd = row % 3 >= BATCH.lengths()[row / 3];
            boolean seesNoKey = row == FULLY_HIDDEN_ROW; // see the next test
            for (int c = 0; c < D && !seesNoKey; c++) {
                assertEquals(pastTheEnd ? 0.0 : expected[row][c], context.getDouble(row, c), 1e-12,
                        "row " + row + " column " + c);
            }
        }
    }

    @Test
    void theLastPositionsAloneGiveTheFullAttentionsLastRows() {
        INDArray qkv = TestArrays.gaussian(2, 9, 3 * D, DataType.DOUBLE);
        INDArray full = ATTENTION.forwardAll(qkv, BATCH, null).context();
        INDArray lastQueries = Nd4j.create(DataType.DOUBLE, 3, D);
        for (int b = 0; b < 3; b++) {
            int last = b * 3 + BATCH.lengths()[b] - 1;
            lastQueries.putRow(b, qkv.getRow(last).get(NDArrayIndex.interval(0, D)));
        }
        INDArray kv = qkv.get(NDArrayIndex.all(), NDArrayIndex.interval(D, 3 * D)).dup();
        INDArray last = ATTENTION.forwardLast(lastQueries, kv, BATCH, null).context();
        for (int b = 0; b < 3; b++) {
            TestArrays.assertClose(full.getRow(b * 3 + BATCH.lengths()[b] - 1), last.getRow(b), 1e-12, "history " + b);
        }
    }

    @Test
    void aQueryThatSeesNoKeyAttendsToItsCausalWindow() {
        // the third history's first position sees only its own blanked item: all its weight goes to that item
        INDArray qkv = TestArrays.gaussian(3, 9, 3 * D, DataType.DOUBLE);
        INDArray context = ATTENTION.forwardAll(qkv, BATCH, null).context();
        TestArrays.assertClose(qkv.getRow(FULLY_HIDDEN_ROW).get(NDArrayIndex.interval(2 * D, 3 * D)),
                context.getRow(FULLY_HIDDEN_ROW), 1e-12, "fully hidden row");
    }

    @Test
    void aHistoryOfBlankedItemsGetsTheSameAttentionWhateverTheBatchsWidth() {
        SequenceBatch alone = SequenceBatch.of(new int[][] {{0, 0}}, 50);
        SequenceBatch beside = SequenceBatch.of(new int[][] {{0, 0}, {1, 2, 3, 4}}, 50);
        INDArray wide = TestArrays.gaussian(4, 8, 2 * D, DataType.DOUBLE);
        INDArray narrow = Nd4j.vstack(wide.getRow(0).reshape(1, 2 * D), wide.getRow(1).reshape(1, 2 * D));
        INDArray queries = TestArrays.gaussian(5, 2, D, DataType.DOUBLE);
        INDArray inBatch = ATTENTION.forwardLast(queries, wide, beside, null).context().getRow(0);
        INDArray onItsOwn = ATTENTION.forwardLast(queries.getRow(0).reshape(1, D), narrow, alone, null).context()
                .getRow(0);
        TestArrays.assertClose(onItsOwn, inBatch, 1e-12, "the blanked history's context");
    }

    @Test
    void gradientsOfEveryPositionMatchCentralDifferences() {
        INDArray qkv = TestArrays.gaussian(4, 9, 3 * D, DataType.DOUBLE);
        DropoutMask drop = dropMask(5, 3, 3);
        INDArray weights = TestArrays.gaussian(6, 9, D, DataType.DOUBLE);
        MaskedAttention.Output output = ATTENTION.forwardAll(qkv, BATCH, drop);
        INDArray gradient = ATTENTION.backwardAll(output.saved(), weights);
        INDArray numeric = centralDifferences(qkv, x -> ATTENTION.forwardAll(x, BATCH, drop).context(), weights);
        TestArrays.assertClose(numeric, gradient, 1e-7, "dqkv");
    }

    @Test
    void gradientsOfTheLastPositionsMatchCentralDifferences() {
        INDArray queries = TestArrays.gaussian(7, 3, D, DataType.DOUBLE);
        INDArray kv = TestArrays.gaussian(8, 9, 2 * D, DataType.DOUBLE);
        DropoutMask drop = dropMask(9, 1, 3);
        INDArray weights = TestArrays.gaussian(10, 3, D, DataType.DOUBLE);
        MaskedAttention.LastGradients gradients =
                ATTENTION.backwardLast(ATTENTION.forwardLast(queries, kv, BATCH, drop).saved(), weights);
        TestArrays.assertClose(centralDifferences(queries,
                q -> ATTENTION.forwardLast(q, kv, BATCH, drop).context(), weights), gradients.queries(), 1e-7, "dq");
        TestArrays.assertClose(centralDifferences(kv,
                x -> ATTENTION.forwardLast(queries, x, BATCH, drop).context(), weights), gradients.keysValues(), 1e-7,
                "dkv");
    }

    @Test
    void sharingTheWorkOverThreadsGivesTheSameNumbersAsOneThread() {
        INDArray qkv = TestArrays.gaussian(11, 9, 3 * D, DataType.DOUBLE);
        DropoutMask drop = dropMask(12, 3, 3);
        INDArray dContext = TestArrays.gaussian(13, 9, D, DataType.DOUBLE);
        MaskedAttention.Output alone = ATTENTION.forwardAll(qkv, BATCH, drop);
        INDArray aloneGradient = ATTENTION.backwardAll(alone.saved(), dContext);
        ComputeThreadsTest.withThreads(3, () -> { // a thread per history, two of them helpers
            MaskedAttention.Output shared = ATTENTION.forwardAll(qkv, BATCH, drop);
            assertEquals(alone.context(), shared.context());
            assertEquals(aloneGradient, ATTENTION.backwardAll(shared.saved(), dContext));
        });
    }

    /** Dense attention as the reference computes it: every column scored, -10000 added where hidden, then dropout. */
    private static double[][] additiveMaskAttention(INDArray qkv, DropoutMask drop) {
        int t = BATCH.width();
        double[][] out = new double[9][D];
        for (int b = 0; b < 3; b++) {
            for (int i = 0; i < t; i++) {
                for (int h = 0; h < HEADS; h++) {
                    double[] scores = new double[t];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < t; j++) {
                        double dot = 0;
                        for (int k = 0; k < HEAD_SIZE; k++) {
                            dot += qkv.getDouble(b * t + i, h * HEAD_SIZE + k)
                                    * qkv.getDouble(b * t + j, D + h * HEAD_SIZE + k);
                        }
                        boolean visible = j <= i && BATCH.ids()[b * t + j] != 0;
                        scores[j] = dot / Math.sqrt(HEAD_SIZE) + (visible ? 0 : HIDDEN_KEY);
                        max = Math.max(max, scores[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < t; j++) {
                        scores[j] = Math.exp(scores[j] - max);
                        sum += scores[j];
                    }
                    for (int j = 0; j < t; j++) {
                        double kept = scores[j] / sum * drop.factor(((b * HEADS + h) * t + i) * t + j);
                        for (int k = 0; k < HEAD_SIZE; k++) {
                            out[b * t + i][h * HEAD_SIZE + k] +=
                                    kept * qkv.getDouble(b * t + j, 2 * D + h * HEAD_SIZE + k);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** An inverted-dropout mask over [3, HEADS, queries, width] with p = 0.5, drawn from {@code seed}. */
    private static DropoutMask dropMask(long seed, int queries, int width) {
        return new DropoutMasks(seed).mask(0.5, 3L * HEADS * queries * width);
    }

    /** d sum(f(x) * weights) / dx by central differences. */
    private static INDArray centralDifferences(INDArray x, UnaryOperator<INDArray> f,
                                               INDArray weights) {
        double step = 1e-6;
        INDArray gradient = Nd4j.create(DataType.DOUBLE, x.shape());
        for (long i = 0; i < x.length(); i++) {
            INDArray plus = x.dup();
            plus.putScalar(i, x.getDouble(i) + step);
            INDArray minus = x.dup();
            minus.putScalar(i, x.getDouble(i) - step);
            double difference = f.apply(plus).mul(weights).sumNumber().doubleValue()
                    - f.apply(minus).mul(weights).sumNumber().doubleValue();
            gradient.putScalar(i, difference / (2 * step));
        }
        return gradient;
    }
}
