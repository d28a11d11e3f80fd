package dev.seqrec.trainer.model;

import java.util.SplittableRandom;

/**
 * Inverted-dropout masks (PyTorch convention: p is the probability of dropping; kept units are scaled by 1/(1-p)),
 * drawn from a generator seeded per pass, so that a seed fixes them: resumed runs replay the same masks. The masks
 * are plain Java arrays, since only the loop kernels ({@link LayerNorm}, {@link MaskedAttention}) read them: drawn
 * as ND4J arrays they cost a Bernoulli pass, a scaling pass and a conversion on every read.
 */
public final class DropoutMasks {
    /** Each 64-bit draw decides two units, by comparing a 32-bit half with p scaled to 2^32. */
    private static final double TWO_TO_32 = 4294967296.0;
    private static final long LOW_HALF = 0xFFFFFFFFL;

    private final SplittableRandom random;

    public DropoutMasks(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A mask over {@code units} units, or null when {@code dropProbability} is 0 (nothing is dropped). */
    DropoutMask mask(double dropProbability, long units) {
        if (dropProbability <= 0) {
            return null;
        }
        if (!(dropProbability < 1)) {
            throw new IllegalArgumentException("dropout probability must be below 1, got " + dropProbability);
        }
        long dropBelow = Math.round(dropProbability * TWO_TO_32);
        byte[] kept = new byte[Math.toIntExact(units)];
        int i = 0;
        for (; i + 1 < kept.length; i += 2) {
            long bits = random.nextLong();
            kept[i] = (bits & LOW_HALF) >= dropBelow ? (byte) 1 : 0;
            kept[i + 1] = (bits >>> 32) >= dropBelow ? (byte) 1 : 0;
        }
        if (i < kept.length) {
            kept[i] = (random.nextLong() & LOW_HALF) >= dropBelow ? (byte) 1 : 0;
        }
        return new DropoutMask(kept, 1.0 / (1.0 - dropProbability));
    }
}
