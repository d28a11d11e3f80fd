package dev.seqrec.trainer.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * exp on float vectors that gives the same bits whether the JIT has compiled the caller or not, for
 * {@link VectorSoftmax} and {@link VectorGelu}. {@code lanewise(EXP)} does not: compiled it calls Intel's SVML, in
 * the interpreter the JDK's scalar {@code Math.exp}, and the two round differently, so a run resumed in a fresh JVM
 * drifted away from an uninterrupted one. Here only exactly rounded lane-wise operations are used (fma, add, min/max,
 * integer arithmetic on the bits), which both give alike.
 *
 * <p>Cephes' expf: exp(x) = 2^n exp(r), n = round(x log2 e), r = x - n ln 2 in [-ln2/2, ln2/2] (ln 2 in two parts,
 * the first exact in n times it), exp(r) from a degree-6 polynomial. Within 2 units in the last place of float (see
 * VectorExpTest). 2^n is applied as two factors 2^(n/2) 2^(n - n/2), each a normal float, so that the results in the
 * subnormal range round once and those above float's range overflow to infinity, as Math.exp's do; x is first clamped
 * to [-104, 89], beyond which the result is 0 or infinity.
 */
final class VectorExp {
    /** Below it, exp(x) is under half the smallest subnormal float: it rounds to 0. */
    private static final float LOWEST = -104f;
    /** Above ln(Float.MAX_VALUE) = 88.72: the scaling overflows to infinity. */
    private static final float HIGHEST = 89f;
    private static final float LOG2_E = (float) (1 / Math.log(2));
    /** 1.5 2^23: adding it rounds to an integer, which its low bits then hold (the sum's unit in the last place is 1). */
    private static final float ROUNDING = 12582912f;
    private static final int ROUNDING_BITS = Float.floatToRawIntBits(ROUNDING);
    private static final float LN2_HIGH = 0.693359375f;
    private static final float LN2_LOW = -2.12194440e-4f;
    private static final int EXPONENT_BIAS = 127;
    private static final int MANTISSA_BITS = 23;

    private VectorExp() {
    }

    static FloatVector exp(FloatVector x) {
        FloatVector clamped = x.max(LOWEST).min(HIGHEST);
        FloatVector shifted = clamped.fma(LOG2_E, ROUNDING);
        FloatVector n = shifted.sub(ROUNDING);
        FloatVector r = n.fma(FloatVector.broadcast(x.species(), -LN2_HIGH), clamped); // exact
        r = n.fma(FloatVector.broadcast(x.species(), -LN2_LOW), r);
        IntVector exponent = shifted.reinterpretAsInts().sub(ROUNDING_BITS);
        IntVector half = exponent.lanewise(VectorOperators.ASHR, 1);
        return expReduced(r).mul(powerOfTwo(half)).mul(powerOfTwo(exponent.sub(half)));
    }

    /** exp(r) for |r| up to ln2/2: 1 + r + r^2 P(r). */
    private static FloatVector expReduced(FloatVector r) {
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
        p = p.fma(r, FloatVector.broadcast(r.species(), 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(r.species(), 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(r.species(), 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(r.species(), 5.0000001201e-1f));
        return p.fma(r.mul(r), r).add(1f);
    }

    /** 2^k for k from -126 to 127, from its exponent bits. */
    private static FloatVector powerOfTwo(IntVector k) {
        return k.add(EXPONENT_BIAS).lanewise(VectorOperators.LSHL, MANTISSA_BITS).reinterpretAsFloats();
    }
}
