package dev.seqrec.trainer.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Softmax over the rows of a float matrix in place with the JDK's vector API: the output layer's [B, N+1] scores, 3
 * million a SASRec step on Beauty, where libnd4j's kernel spends most of its 5% of the step in a scalar {@code expf}.
 * Each row is shifted by its maximum, as libnd4j's float kernel does. Loaded only where
 * {@link VectorApi#FOR_ND4J_ARRAYS}.
 */
final class VectorSoftmax {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private VectorSoftmax() {
    }

    /** Replaces each row of {@code scores}, a whole row-major float matrix, by its softmax. */
    static void rowsInPlace(INDArray scores) {
        if (scores.dataType() != DataType.FLOAT || !HostBuffers.isWholeRowMajor(scores)) {
            throw new IllegalArgumentException("expected a whole row-major float array, got " + scores.dataType());
        }
        Nd4j.getAffinityManager().ensureLocation(scores, AffinityManager.Location.HOST);
        ByteBuffer data = scores.data().asNio().order(ORDER);
        int columns = Math.toIntExact(scores.size(scores.rank() - 1));
        int rows = Math.toIntExact(scores.length() / columns);
        int whole = SPECIES.loopBound(columns);
        for (int r = 0; r < rows; r++) {
            int start = r * columns;
            float max = max(data, start, columns, whole);
            float sum = exponentiate(data, start, columns, whole, max);
            scale(data, start, columns, whole, 1f / sum);
        }
        Nd4j.getAffinityManager().tagLocation(scores, AffinityManager.Location.HOST);
    }

    private static float max(ByteBuffer data, int start, int columns, int whole) {
        FloatVector max = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        for (int k = 0; k < whole; k += SPECIES.length()) {
            max = max.max(FloatVector.fromByteBuffer(SPECIES, data, (start + k) * Float.BYTES, ORDER));
        }
        float result = max.reduceLanes(VectorOperators.MAX);
        for (int k = whole; k < columns; k++) {
            result = Math.max(result, data.getFloat((start + k) * Float.BYTES));
        }
        return result;
    }

    /** x -> exp(x - max) along the row; returns the row's sum. */
    private static float exponentiate(ByteBuffer data, int start, int columns, int whole, float max) {
        FloatVector shift = FloatVector.broadcast(SPECIES, max);
        FloatVector sum = FloatVector.zero(SPECIES);
        for (int k = 0; k < whole; k += SPECIES.length()) {
            int at = (start + k) * Float.BYTES;
            FloatVector e = VectorExp.exp(FloatVector.fromByteBuffer(SPECIES, data, at, ORDER).sub(shift));
            e.intoByteBuffer(data, at, ORDER);
            sum = sum.add(e);
        }
        if (whole < columns) { // the remainder with the same exp as the rest, in one masked vector
            VectorMask<Float> live = SPECIES.indexInRange(whole, columns);
            int at = (start + whole) * Float.BYTES;
            FloatVector e = VectorExp.exp(FloatVector.fromByteBuffer(SPECIES, data, at, ORDER, live).sub(shift));
            e.intoByteBuffer(data, at, ORDER, live);
            sum = sum.add(e, live);
        }
        // lane by lane in a fixed order: reduceLanes(ADD) adds in one order compiled and another interpreted
        float result = 0;
        for (int lane = 0; lane < SPECIES.length(); lane++) {
            result += sum.lane(lane);
        }
        return result;
    }

    private static void scale(ByteBuffer data, int start, int columns, int whole, float factor) {
        for (int k = 0; k < whole; k += SPECIES.length()) {
            int at = (start + k) * Float.BYTES;
            FloatVector.fromByteBuffer(SPECIES, data, at, ORDER).mul(factor).intoByteBuffer(data, at, ORDER);
        }
        for (int k = whole; k < columns; k++) {
            int at = (start + k) * Float.BYTES;
            data.putFloat(at, data.getFloat(at) * factor);
        }
    }
}
