package dev.seqrec.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class LayerNormTest {
    private static final int ROWS = 4;
    private static final int D = 5;
    private static final double EPS = 1e-12;
    private static final LayerNorm NORM = new LayerNorm(EPS);
    private static final INDArray X = TestArrays.gaussian(1, ROWS, D, DataType.DOUBLE);
    private static final INDArray BRANCH = TestArrays.gaussian(2, ROWS, D, DataType.DOUBLE);
    private static final INDArray GAIN = TestArrays.gaussian(3, 1, D, DataType.DOUBLE).reshape(D);
    private static final INDArray BIAS = TestArrays.gaussian(4, 1, D, DataType.DOUBLE).reshape(D);
    private static final DropoutMask BRANCH_DROP = new DropoutMasks(5).mask(0.3, ROWS * D);
    private static final DropoutMask OUTPUT_DROP = new DropoutMasks(6).mask(0.3, ROWS * D);

    @Test
    void eachRowIsTheNormalisedSumOfInputAndDroppedBranchScaledShiftedThenDropped() {
        INDArray y = forward(X, BRANCH, GAIN, BIAS).y();
        for (int r = 0; r < ROWS; r++) {
            double[] v = new double[D];
            double mean = 0;
            for (int k = 0; k < D; k++) {
                v[k] = X.getDouble(r, k) + BRANCH.getDouble(r, k) * BRANCH_DROP.factor(r * D + k);
                mean += v[k] / D;
            }
            double variance = 0;
            for (int k = 0; k < D; k++) {
                variance += (v[k] - mean) * (v[k] - mean) / D;
            }
            for (int k = 0; k < D; k++) {
                double expected = ((v[k] - mean) / Math.sqrt(variance + EPS) * GAIN.getDouble(k) + BIAS.getDouble(k))
                        * OUTPUT_DROP.factor(r * D + k);
                assertEquals(expected, y.getDouble(r, k), 1e-12, "row " + r + " column " + k);
            }
        }
    }

    @Test
    void gradientsMatchCentralDifferences() {
        INDArray dy = TestArrays.gaussian(7, ROWS, D, DataType.DOUBLE);
        LayerNorm.Gradients g = NORM.backward(dy, forward(X, BRANCH, GAIN, BIAS).saved(), GAIN, true, BRANCH_DROP,
                OUTPUT_DROP);
        TestArrays.assertClose(TestArrays.centralDifferences(X, x -> forward(x, BRANCH, GAIN, BIAS).y(), dy),
                g.sum(), 1e-7, "dx");
        TestArrays.assertClose(TestArrays.centralDifferences(BRANCH, b -> forward(X, b, GAIN, BIAS).y(), dy),
                g.branch(), 1e-7, "dbranch");
        TestArrays.assertClose(g.branch().sum(0), g.branchColumnSums(), 1e-12, "branch column sums");
        TestArrays.assertClose(TestArrays.centralDifferences(GAIN, gain -> forward(X, BRANCH, gain, BIAS).y(), dy),
                g.gain(), 1e-7, "dgain");
        TestArrays.assertClose(TestArrays.centralDifferences(BIAS, bias -> forward(X, BRANCH, GAIN, bias).y(), dy),
                g.bias(), 1e-7, "dbias");
    }

    private static LayerNorm.Output forward(INDArray x, INDArray branch, INDArray gain, INDArray bias) {
        return NORM.forward(x, branch, BRANCH_DROP, gain, bias, OUTPUT_DROP);
    }
}
