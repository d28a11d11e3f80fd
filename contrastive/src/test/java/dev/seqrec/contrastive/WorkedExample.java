package dev.seqrec.contrastive;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The worked example of contrastive-losses.md: B = 3 unit-length rows per view. */
final class WorkedExample {
    private WorkedExample() {
    }

    static INDArray a() {
        return Nd4j.createFromArray(new double[][] {{1, 0}, {0.6, 0.8}, {0, 1}});
    }

    static INDArray b() {
        return Nd4j.createFromArray(new double[][] {{0.8, 0.6}, {0, 1}, {-0.6, 0.8}});
    }

    static INDArray a(DataType type) {
        return a().castTo(type);
    }

    static INDArray b(DataType type) {
        return b().castTo(type);
    }
}
