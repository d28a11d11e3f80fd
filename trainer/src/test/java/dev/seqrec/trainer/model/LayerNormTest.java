package dev.seqrec.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LayerNormTest {
    private static final int D = 5;
    private static final LayerNorm NORM = new LayerNorm(1e-12);
    /** Two histories in a batch 3 wide: rows 0-2 and 3 are positions, rows 4 and 5 padding. */
    private static final SequenceBatch BATCH = SequenceBatch.of(new int[][] {{5, 7, 9}, {8}}, 50);
    private static final int[] POSITIONS = {0, 1, 2, 3};
    private static final int[] PADDING = {4, 5};

    @Test
    void normalisingOnlyThePositionsGivesTheirRowsAsBeforeAndZeroPadding() {
        INDArray x = TestArrays.gaussian(1, 6, D, DataType.DOUBLE);
        INDArray branch = TestArrays.gaussian(2, 6, D, DataType.DOUBLE);
        DropoutMask drop = new DropoutMasks(3).mask(0.3, 6 * D);
        INDArray gain = TestArrays.gaussian(4, 1, D, DataType.DOUBLE).reshape(D);
        INDArray bias = TestArrays.gaussian(5, 1, D, DataType.DOUBLE).reshape(D);
        INDArray all = NORM.forward(LayerNorm.Rows.all(6), x, branch, drop, gain, bias, null).y();
        INDArray positions = NORM.forward(LayerNorm.Rows.positionsOf(BATCH), x, branch, drop, gain, bias, null).y();
        for (int row : POSITIONS) {
            TestArrays.assertClose(all.getRow(row), positions.getRow(row), 1e-15, "row " + row);
        }
        for (int row : PADDING) {
            assertEquals(0.0, positions.getRow(row).norm1Number().doubleValue(), "padding row " + row);
        }
    }

    @Test
    void theGradientsOfThePositionsAreThoseOfAllRowsWhenNoneReachesThePadding() {
        INDArray x = TestArrays.gaussian(6, 6, D, DataType.DOUBLE);
        INDArray gain = TestArrays.gaussian(7, 1, D, DataType.DOUBLE).reshape(D);
        INDArray bias = Nd4j.zeros(DataType.DOUBLE, D);
        DropoutMask drop = new DropoutMasks(8).mask(0.3, 6 * D);
        INDArray dy = TestArrays.gaussian(9, 6, D, DataType.DOUBLE);
        for (int row : PADDING) {
            dy.getRow(row).assign(0); // as in the encoder: no loss reads a padding row
        }
        LayerNorm.Gradients all = NORM.backward(dy, NORM.forward(LayerNorm.Rows.all(6), x, null, null, gain, bias,
                drop).saved(), gain, true, null, drop);
        LayerNorm.Gradients positions = NORM.backward(dy, NORM.forward(LayerNorm.Rows.positionsOf(BATCH), x, null,
                null, gain, bias, drop).saved(), gain, true, null, drop);
        TestArrays.assertClose(all.sum(), positions.sum(), 1e-15, "dx");
        TestArrays.assertClose(all.gain(), positions.gain(), 1e-15, "dgain");
        TestArrays.assertClose(all.bias(), positions.bias(), 1e-15, "dbias");
        TestArrays.assertClose(all.branchColumnSums(), positions.branchColumnSums(), 1e-15, "branch column sums");
    }
}
