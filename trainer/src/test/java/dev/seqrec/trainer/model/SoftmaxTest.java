package dev.seqrec.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SoftmaxTest {
    /** A row of logits far below where exp underflows in float64. */
    private static final double[] HIDDEN_ROW = {-10000.25, -10000.0, -10000.5};

    @Test
    void aRowFarBelowExpsRangeIsNormalisedInFloat64() {
        INDArray scores = Nd4j.createFromArray(new double[][][] {{HIDDEN_ROW, {1, 2, 3}}});
        SasrecEncoder.softmaxLastAxisInPlace(scores);
        double[] all = scores.reshape(6).toDoubleVector();
        assertArrayEquals(expected(HIDDEN_ROW), Arrays.copyOfRange(all, 0, 3), 1e-12);
        assertArrayEquals(expected(new double[] {1, 2, 3}), Arrays.copyOfRange(all, 3, 6), 1e-12);
    }

    @Test
    void float32RowsGiveTheSameProbabilities() {
        INDArray scores = Nd4j.createFromArray(new double[][] {HIDDEN_ROW}).castTo(DataType.FLOAT);
        SasrecEncoder.softmaxLastAxisInPlace(scores);
        assertArrayEquals(expected(HIDDEN_ROW), scores.getRow(0).toDoubleVector(), 1e-6);
    }

    @Test
    void float32RowsWiderThanAVectorGiveTheFormulasProbabilities() {
        // 2 rows of 45: full vectors of 16 or 8 floats and a remainder; one row far below exp's range
        INDArray scores = TestArrays.gaussian(1, 2, 45, DataType.DOUBLE).muli(4);
        scores.getRow(1).subi(10000);
        INDArray single = scores.castTo(DataType.FLOAT);
        double[][] rows = single.toDoubleMatrix(); // the inputs as float rounds them (to 1e-3 near -10000)
        SasrecEncoder.softmaxLastAxisInPlace(single);
        for (int r = 0; r < rows.length; r++) {
            assertArrayEquals(expected(rows[r]), single.getRow(r).toDoubleVector(), 1e-6, "row " + r);
        }
    }

    @Test
    void float32RowsGiveTheSameBitsBeforeAndAfterTheJitCompilesTheKernel() {
        assumeTrue(VectorApi.FOR_ND4J_ARRAYS, "vector API kernels not in use here");
        INDArray input = TestArrays.gaussian(1, 4, 1001, DataType.FLOAT).muli(3); // whole vectors and a remainder
        INDArray cold = input.dup();
        VectorSoftmax.rowsInPlace(cold); // the first call: interpreted, the vector operations as Java loops
        for (int i = 0; i < 20_000; i++) { // until C2 compiles it with the operations as instructions
            VectorSoftmax.rowsInPlace(input.dup());
        }
        INDArray warm = input.dup();
        VectorSoftmax.rowsInPlace(warm);
        assertArrayEquals(cold.ravel().toFloatVector(), warm.ravel().toFloatVector());
    }

    private static double[] expected(double[] row) {
        double max = Arrays.stream(row).max().orElseThrow();
        double[] e = new double[row.length];
        double sum = 0;
        for (int i = 0; i < row.length; i++) {
            e[i] = Math.exp(row[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < row.length; i++) {
            e[i] /= sum;
        }
        return e;
    }
}
