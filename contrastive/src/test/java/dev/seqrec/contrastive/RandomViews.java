package dev.seqrec.contrastive;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small seeded random inputs for gradient and invariance checks. */
final class RandomViews {
    private RandomViews() {
    }

    static INDArray gaussian(long seed, int rows, int columns) {
        java.util.Random random = new java.util.Random(seed);
        double[][] values = new double[rows][columns];
        for (double[] row : values) {
            for (int j = 0; j < columns; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return Nd4j.createFromArray(values).castTo(DataType.DOUBLE);
    }
}
