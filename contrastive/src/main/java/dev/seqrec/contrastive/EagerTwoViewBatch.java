package dev.seqrec.contrastive;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
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
    /** Side of the square tiles in which dL/dS is symmetrised: 2 x 64 x 64 doubles fit a core's L1/L2 cache. */
    private static final int TILE = 64;
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
        // matmul with a transpose flag: INDArray.mmul copied the transposed operand first
        INDArray similarities = Nd4j.matmul(prepared, prepared, false, true, false);
        if (type == DataType.DOUBLE) {
            logits = similarities.data().asDouble();
            for (int k = 0; k < logits.length; k++) {
                logits[k] /= temperature;
            }
        } else {
            // widened here rather than by a cast on the ND4J side: one copy instead of two
            float[] single = similarities.castTo(DataType.FLOAT).data().asFloat();
            logits = new double[single.length];
            for (int k = 0; k < single.length; k++) {
                logits[k] = single[k] / temperature;
            }
        }
    }

    /** Whether this batch's logits are those of the given similarity and temperature. */
    boolean comparesAs(Similarity otherSimilarity, double otherTemperature) {
        return similarity == otherSimilarity && temperature == otherTemperature;
    }

    static EagerTwoViewBatch of(Similarity similarity, double temperature, INDArray a, INDArray b) {
        return new EagerTwoViewBatch(similarity, temperature, a, b);
    }

    int partner(int row) {
        return row < samples ? row + samples : row - samples;
    }

    /** {dL/da, dL/db} from dL/dS ([2B, 2B] row-major; overwritten). */
    INDArray[] backward(double[] logitGradient) {
        // S = u u^T / tau, so dL/du = (G + G^T) u / tau; tile by tile, so that the transposed reads stay in cache
        for (int i0 = 0; i0 < rows; i0 += TILE) {
            for (int k0 = i0; k0 < rows; k0 += TILE) {
                for (int i = i0; i < Math.min(i0 + TILE, rows); i++) {
                    for (int k = Math.max(k0, i); k < Math.min(k0 + TILE, rows); k++) {
                        double symmetric = (logitGradient[i * rows + k] + logitGradient[k * rows + i]) / temperature;
                        logitGradient[i * rows + k] = symmetric;
                        logitGradient[k * rows + i] = symmetric;
                    }
                }
            }
        }
        INDArray gradient = Nd4j.matmul(matrix(logitGradient), prepared, false, false, false);
        if (similarity == Similarity.COSINE) {
            // through x / |x|: (g - x_hat (g . x_hat)) / |x|
            INDArray along = gradient.mul(prepared).sum(true, 1);
            gradient.subi(prepared.mulColumnVector(along)).diviColumnVector(norms);
        }
        return new INDArray[] {
            gradient.get(NDArrayIndex.interval(0, samples), NDArrayIndex.all()).dup('c'),
            gradient.get(NDArrayIndex.interval(samples, rows), NDArrayIndex.all()).dup('c')};
    }

    /**
     * A [2B, 2B] row-major array as a matrix of the inputs' type, written in one bulk copy (element by element, as
     * {@code Nd4j.create} does, it cost more than the product it feeds).
     */
    private INDArray matrix(double[] values) {
        boolean wide = type == DataType.DOUBLE;
        INDArray out = Nd4j.createUninitialized(wide ? DataType.DOUBLE : DataType.FLOAT, new long[] {rows, rows}, 'c');
        if (wide) {
            out.data().asNioDouble().put(values, 0, values.length);
        } else {
            float[] single = new float[values.length];
            for (int k = 0; k < values.length; k++) {
                single[k] = (float) values[k];
            }
            out.data().asNioFloat().put(single, 0, single.length);
        }
        Nd4j.getAffinityManager().tagLocation(out, AffinityManager.Location.HOST); // written on the host
        return out.dataType() == type ? out : out.castTo(type);
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
        if (a.size(0) < 1) {
            throw new IllegalArgumentException(TwoViewBatch.EMPTY_BATCH + Arrays.toString(a.shape()));
        }
    }
}
