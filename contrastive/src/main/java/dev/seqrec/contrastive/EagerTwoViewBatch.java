package dev.seqrec.contrastive;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The eager counterpart of {@link TwoViewBatch}: u = [a; b] (2B rows, partner of row i is i + B or i - B), its
 * similarity logits S = sim(u, u) / tau as a row-major double array, and the way back from dL/dS to dL/da, dL/db.
 * The two matrix products run in ND4J (in the inputs' precision, as the graphs do); the row-wise work on S is plain
 * Java in double, which is faster than a chain of small ND4J ops.
 */
final class EagerTwoViewBatch {
    /** Number of rows of u, 2B. */
    final int rows;
    /** Samples per view, B. */
    final int samples;
    /** S, [2B, 2B] row-major. */
    final double[] logits;
    private final Similarity similarity;
    private final double temperature;
    private final DataType type;
    /** u as it enters the similarity (rows unit length for COSINE). */
    private final INDArray prepared;
    /** Row norms of u, COSINE only. */
    private final INDArray norms;

    private EagerTwoViewBatch(Similarity similarity, double temperature, INDArray a, INDArray b) {
        requireViews(a, b);
        this.similarity = similarity;
        this.temperature = temperature;
        this.type = a.dataType();
        this.samples = (int) a.size(0);
        this.rows = 2 * samples;
        INDArray stacked = Nd4j.concat(0, a, b.castTo(type));
        if (similarity == Similarity.COSINE) {
            double epsilonSquared = Similarity.NORM_EPSILON * Similarity.NORM_EPSILON;
            norms = Transforms.sqrt(stacked.mul(stacked).sum(true, 1).addi(epsilonSquared), false);
            prepared = stacked.divColumnVector(norms);
        } else {
            norms = null;
            prepared = stacked;
        }
        logits = prepared.mmul(prepared.transpose()).castTo(DataType.DOUBLE).data().asDouble();
        if (temperature != 1.0) {
            for (int k = 0; k < logits.length; k++) {
                logits[k] /= temperature;
            }
        }
    }

    static EagerTwoViewBatch of(Similarity similarity, double temperature, INDArray a, INDArray b) {
        return new EagerTwoViewBatch(similarity, temperature, a, b);
    }

    int partner(int row) {
        return row < samples ? row + samples : row - samples;
    }

    /** dL/da and dL/db from dL/dS ([2B, 2B] row-major; overwritten). */
    EagerPairLoss.Result backward(double value, double[] logitGradient) {
        // S = u u^T / tau, so dL/du = (G + G^T) u / tau
        for (int i = 0; i < rows; i++) {
            for (int k = i; k < rows; k++) {
                double symmetric = (logitGradient[i * rows + k] + logitGradient[k * rows + i]) / temperature;
                logitGradient[i * rows + k] = symmetric;
                logitGradient[k * rows + i] = symmetric;
            }
        }
        INDArray gradient = Nd4j.createFromArray(logitGradient).reshape(rows, rows).castTo(type).mmul(prepared);
        if (similarity == Similarity.COSINE) {
            // through x / |x|: (g - x_hat (g . x_hat)) / |x|
            INDArray along = gradient.mul(prepared).sum(true, 1);
            gradient.subi(prepared.mulColumnVector(along)).diviColumnVector(norms);
        }
        return new EagerPairLoss.Result(value,
                gradient.get(NDArrayIndex.interval(0, samples), NDArrayIndex.all()).dup('c'),
                gradient.get(NDArrayIndex.interval(samples, rows), NDArrayIndex.all()).dup('c'));
    }

    private static void requireViews(INDArray a, INDArray b) {
        if (a.rank() != 2 || b.rank() != 2) {
            throw new IllegalArgumentException("the two views must be [B, d] matrices, got shapes "
                    + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
        }
        if (!a.equalShapes(b)) {
            throw new IllegalArgumentException("the two views must have the same shape [B, d], got "
                    + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
        }
    }
}
