package dev.seqrec.trainer.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-thread Java arrays that the kernels written as plain loops reuse, and the copies between them and ND4J arrays
 * (float or double, row-major). The kernels compute in double whatever the model's type, so one loop serves training
 * (float) and the gradient checks (double). The arrays are reused because allocating (and zeroing) megabyte arrays
 * for every call cost as much as the arithmetic (measured with async-profiler). A slot's array is valid until the
 * same thread asks for that slot again; it may be longer than asked for.
 */
final class HostBuffers {
    private static final int SLOTS = 6;
    private static final ThreadLocal<HostBuffers> PER_THREAD = ThreadLocal.withInitial(HostBuffers::new);

    private final double[][] doubles = new double[SLOTS][0];
    private float[] floats = new float[0];

    private HostBuffers() {
    }

    static HostBuffers ofThisThread() {
        return PER_THREAD.get();
    }

    /** Slot {@code slot}, at least {@code n} long, with unspecified contents. */
    double[] scratch(int slot, int n) {
        if (doubles[slot].length < n) {
            doubles[slot] = new double[n];
        }
        return doubles[slot];
    }

    /** Whether {@code a} is a whole row-major array, whose buffer the kernels can read and write in place. */
    static boolean isWholeRowMajor(INDArray a) {
        return !a.isView() && a.ordering() == 'c';
    }

    /** {@code a} itself if it is a whole row-major array, else a row-major copy. */
    static INDArray wholeRowMajor(INDArray a) {
        return isWholeRowMajor(a) ? a : a.dup('c');
    }

    /** Slot {@code slot} holding the values of {@code a} in row-major order. */
    double[] read(INDArray a, int slot) {
        INDArray c = wholeRowMajor(a);
        Nd4j.getAffinityManager().ensureLocation(c, AffinityManager.Location.HOST);
        int n = Math.toIntExact(c.length());
        double[] out = scratch(slot, n);
        if (c.dataType() == DataType.DOUBLE) {
            c.data().asNioDouble().get(0, out, 0, n);
        } else if (c.dataType() == DataType.FLOAT) {
            float[] f = floats(n);
            c.data().asNioFloat().get(0, f, 0, n);
            for (int i = 0; i < n; i++) {
                out[i] = f[i];
            }
        } else {
            throw new IllegalArgumentException("expected a float or double array, got " + c.dataType());
        }
        return out;
    }

    /** A new row-major array of {@code type} and {@code shape} holding the first values of {@code values}. */
    INDArray write(double[] values, DataType type, long... shape) {
        INDArray out = Nd4j.createUninitialized(type, shape, 'c');
        int n = Math.toIntExact(out.length());
        if (type == DataType.DOUBLE) {
            out.data().asNioDouble().put(0, values, 0, n);
        } else if (type == DataType.FLOAT) {
            float[] f = floats(n);
            for (int i = 0; i < n; i++) {
                f[i] = (float) values[i];
            }
            out.data().asNioFloat().put(0, f, 0, n);
        } else {
            throw new IllegalArgumentException("expected float or double, got " + type);
        }
        Nd4j.getAffinityManager().tagLocation(out, AffinityManager.Location.HOST);
        return out;
    }

    private float[] floats(int n) {
        if (floats.length < n) {
            floats = new float[n];
        }
        return floats;
    }
}
