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
 * The exact GELU on float arrays in one pass with the JDK's vector API, reading and writing ND4J's buffers in place.
 * ND4J computes it in about ten passes (scale, erf, add, multiply; square, exp, ...) with a scalar {@code erff} and
 * {@code expf}: about 2.5 times slower on one core, a tenth of a SASRec step. Loaded only where
 * {@link VectorApi#FOR_ND4J_ARRAYS}.
 *
 * <p>Phi(x) = (1 + erf(x / sqrt 2)) / 2 from two fits (trainer/tools/normal_cdf_fit.py, which prints them and the
 * error): erf(z) = z P(z^2) for z = |x| / sqrt 2 below 1, else erfc(z) = exp(-z^2) R(1/z), which keeps Phi's lower
 * tail accurate where 1 - erf(z) would cancel. Largest error of Phi over [-14, 14]: 9.3e-8 (float32's erf-based
 * Phi, what ND4J gives: 6.1e-8), within two units in the last place of float.
 */
final class VectorGelu {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final float SQRT_HALF = (float) Math.sqrt(0.5);
    private static final float INV_SQRT_2PI = (float) (1.0 / Math.sqrt(2 * Math.PI));
    /** Beyond it exp(-z^2) underflows float to 0 (below 1.4e-45) and Phi is exactly 0 or 1, as ND4J's is. */
    private static final float LARGEST_Z = 10.5f;
    /** Elements {@link #forward} takes at a time: 4 KiB of exp(-z^2), read back from the L1 cache. */
    private static final int BLOCK = 1024;

    private VectorGelu() {
    }

    /** Fills {@code cdf} with Phi(pre) and {@code activated} with pre Phi(pre); all c-ordered floats of one length. */
    static void forward(INDArray pre, INDArray cdf, INDArray activated) {
        ByteBuffer in = buffer(pre);
        ByteBuffer cdfOut = buffer(cdf);
        ByteBuffer out = buffer(activated);
        int n = Math.toIntExact(pre.length());
        // Block by block: exp(-z^2) in a loop of its own, into cdf, then Phi from it. In one loop, VectorExp's
        // operations took the JIT compiler past its node limit before it had inlined all of Phi, which then passed
        // its vectors as objects (4.7 times slower); a block read back is still in the L1 cache.
        for (int from = 0; from < n; from += BLOCK) {
            int to = Math.min(n, from + BLOCK);
            gaussians(in, cdfOut, from, to);
            normalCdfs(in, cdfOut, out, from, to);
        }
        written(cdf);
        written(activated);
    }

    /** cdf = exp(-z^2) over [from, to). */
    private static void gaussians(ByteBuffer in, ByteBuffer cdfOut, int from, int to) {
        int whole = from + SPECIES.loopBound(to - from);
        // the last, partial vector masked (masks in every step made the loop 1.6 times slower)
        for (int i = from; i < to; i += SPECIES.length()) {
            int at = i * Float.BYTES;
            if (i < whole) {
                FloatVector z = z(FloatVector.fromByteBuffer(SPECIES, in, at, ORDER));
                VectorExp.exp(z.mul(z).neg()).intoByteBuffer(cdfOut, at, ORDER);
            } else {
                VectorMask<Float> live = SPECIES.indexInRange(i, to);
                FloatVector z = z(FloatVector.fromByteBuffer(SPECIES, in, at, ORDER, live));
                VectorExp.exp(z.mul(z).neg()).intoByteBuffer(cdfOut, at, ORDER, live);
            }
        }
    }

    /** cdf = Phi(pre) from the exp(-z^2) that cdf holds, activated = pre Phi(pre), over [from, to). */
    private static void normalCdfs(ByteBuffer in, ByteBuffer cdfOut, ByteBuffer out, int from, int to) {
        int whole = from + SPECIES.loopBound(to - from);
        for (int i = from; i < to; i += SPECIES.length()) {
            int at = i * Float.BYTES;
            if (i < whole) {
                FloatVector x = FloatVector.fromByteBuffer(SPECIES, in, at, ORDER);
                FloatVector phi = normalCdf(x, FloatVector.fromByteBuffer(SPECIES, cdfOut, at, ORDER));
                phi.intoByteBuffer(cdfOut, at, ORDER);
                x.mul(phi).intoByteBuffer(out, at, ORDER);
            } else {
                VectorMask<Float> live = SPECIES.indexInRange(i, to);
                FloatVector x = FloatVector.fromByteBuffer(SPECIES, in, at, ORDER, live);
                FloatVector phi = normalCdf(x, FloatVector.fromByteBuffer(SPECIES, cdfOut, at, ORDER, live));
                phi.intoByteBuffer(cdfOut, at, ORDER, live);
                x.mul(phi).intoByteBuffer(out, at, ORDER, live);
            }
        }
    }

    /** gradient *= Phi(pre) + pre phi(pre), GELU's derivative, in place; {@code cdf} holds Phi(pre). */
    static void multiplyByDerivative(INDArray gradient, INDArray pre, INDArray cdf) {
        ByteBuffer g = buffer(gradient);
        ByteBuffer in = buffer(pre);
        ByteBuffer cdfIn = buffer(cdf);
        int n = Math.toIntExact(pre.length());
        int whole = SPECIES.loopBound(n);
        for (int i = 0; i < n; i += SPECIES.length()) {
            int at = i * Float.BYTES;
            if (i < whole) {
                FloatVector x = FloatVector.fromByteBuffer(SPECIES, in, at, ORDER);
                FloatVector cdfX = FloatVector.fromByteBuffer(SPECIES, cdfIn, at, ORDER);
                FloatVector.fromByteBuffer(SPECIES, g, at, ORDER).mul(derivative(x, cdfX))
                        .intoByteBuffer(g, at, ORDER);
            } else {
                VectorMask<Float> live = SPECIES.indexInRange(i, n);
                FloatVector x = FloatVector.fromByteBuffer(SPECIES, in, at, ORDER, live);
                FloatVector cdfX = FloatVector.fromByteBuffer(SPECIES, cdfIn, at, ORDER, live);
                FloatVector.fromByteBuffer(SPECIES, g, at, ORDER, live).mul(derivative(x, cdfX))
                        .intoByteBuffer(g, at, ORDER, live);
            }
        }
        written(gradient);
    }

    /** Phi(x) + x phi(x). */
    private static FloatVector derivative(FloatVector x, FloatVector cdf) {
        return VectorExp.exp(x.mul(x).mul(-0.5f)).mul(INV_SQRT_2PI).fma(x, cdf);
    }

    /**
     * Phi(x), in three methods each small enough for the JIT compiler to inline into the loops: one method too large
     * to inline (411 bytes of bytecode) took and returned its vectors as objects, 4 ns an element instead of 1.
     */
    private static FloatVector normalCdf(FloatVector x, FloatVector gaussian) {
        FloatVector z = z(x);
        return upperTail(x, z, gaussian).blend(nearZero(x, z, z.mul(z)), z.compare(VectorOperators.LT, 1f));
    }

    /** |x| / sqrt 2, clamped where Phi is 0 or 1 in float. */
    private static FloatVector z(FloatVector x) {
        return x.abs().mul(SQRT_HALF).min(LARGEST_Z);
    }

    /** |x| / sqrt 2 = z below 1: 1/2 + sign(x) z P(z^2) / 2. */
    private static FloatVector nearZero(FloatVector x, FloatVector z, FloatVector z2) {
        FloatVector p = FloatVector.broadcast(SPECIES, 7.896107126725838e-05f);
        p = p.fma(z2, FloatVector.broadcast(SPECIES, -0.0008023668196983635f));
        p = p.fma(z2, FloatVector.broadcast(SPECIES, 0.005189967807382345f));
        p = p.fma(z2, FloatVector.broadcast(SPECIES, -0.026854757219552994f));
        p = p.fma(z2, FloatVector.broadcast(SPECIES, 0.11283610761165619f));
        p = p.fma(z2, FloatVector.broadcast(SPECIES, -0.3761262893676758f));
        p = p.fma(z2, FloatVector.broadcast(SPECIES, 1.128379225730896f));
        FloatVector halfErf = z.mul(p).mul(0.5f);
        return halfErf.blend(halfErf.neg(), x.compare(VectorOperators.LT, 0f)).add(0.5f);
    }

    /** z from 1 on: the tail erfc(z) / 2 = exp(-z^2) R(1/z) / 2, and Phi = 1 - tail above 0, tail below. */
    private static FloatVector upperTail(FloatVector x, FloatVector z, FloatVector gaussian) {
        FloatVector w = FloatVector.broadcast(SPECIES, 1f).div(z.max(1f));
        FloatVector r = FloatVector.broadcast(SPECIES, -0.05293915793299675f);
        r = r.fma(w, FloatVector.broadcast(SPECIES, 0.3536166846752167f));
        r = r.fma(w, FloatVector.broadcast(SPECIES, -1.047174096107483f));
        r = r.fma(w, FloatVector.broadcast(SPECIES, 1.7881423234939575f));
        r = r.fma(w, FloatVector.broadcast(SPECIES, -1.8827948570251465f));
        r = r.fma(w, FloatVector.broadcast(SPECIES, 1.1355252265930176f));
        r = r.fma(w, FloatVector.broadcast(SPECIES, -0.1741795837879181f));
        r = r.fma(w, FloatVector.broadcast(SPECIES, -0.2541169226169586f));
        r = r.fma(w, FloatVector.broadcast(SPECIES, -0.002847339492291212f));
        r = r.fma(w, FloatVector.broadcast(SPECIES, 0.5643554925918579f));
        r = r.fma(w, FloatVector.broadcast(SPECIES, -4.2000306166301016e-06f));
        FloatVector tail = gaussian.mul(r).mul(0.5f);
        return tail.blend(tail.neg().add(1f), x.compare(VectorOperators.GT, 0f));
    }

    private static ByteBuffer buffer(INDArray a) {
        if (a.dataType() != DataType.FLOAT || !HostBuffers.isWholeRowMajor(a)) {
            throw new IllegalArgumentException("expected a whole row-major float array, got " + a.dataType()
                    + (a.isView() ? " view" : "") + " in order " + a.ordering());
        }
        Nd4j.getAffinityManager().ensureLocation(a, AffinityManager.Location.HOST);
        return a.data().asNio();
    }

    private static void written(INDArray a) {
        Nd4j.getAffinityManager().tagLocation(a, AffinityManager.Location.HOST);
    }
}
