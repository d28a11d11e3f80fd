package dev.seqrec.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Random inputs and element-wise comparisons shared by the trainer's tests. */
public final class TestArrays {
    private TestArrays() {
    }

    /** A [rows, columns] matrix of standard normal values drawn from {@code seed}. */
    public static INDArray gaussian(long seed, int rows, int columns, DataType type) {
        Random random = new Random(seed);
        double[][] values = new double[rows][columns];
        for (double[] row : values) {
            for (int j = 0; j < columns; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return Nd4j.createFromArray(values).castTo(type);
    }

    /** Same shape and every element within {@code tolerance}, naming the first element that is not. */
    public static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what);
        for (long i = 0; i < expected.length(); i++) {
            assertEquals(expected.getDouble(i), actual.getDouble(i), tolerance, what + "[" + i + "]");
        }
    }

    /** d sum(f(x) * weights) / dx by central differences, in float64. */
    public static INDArray centralDifferences(INDArray x, UnaryOperator<INDArray> f, INDArray weights) {
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
