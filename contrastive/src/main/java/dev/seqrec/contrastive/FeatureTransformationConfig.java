package dev.seqrec.contrastive;

/**
 * Feature transformation settings (Zhu et al., 2021).
 *
 * @param positiveExtrapolation  replace each positive pair by its extrapolation with lambda ~ Beta(alpha, alpha) + 1
 * @param extrapolationAlpha     alpha of that Beta; 2 as in the authors' released runs
 * @param negativeInterpolation  add 2B negatives mu u_j + (1 - mu) u_k, mu ~ U(0, 1), one per row j of u = [a; b]
 *                               with a random partner row k; needs an InfoNCE-family inner loss
 * @param seed                   seed of every draw, so that runs repeat
 */
public record FeatureTransformationConfig(boolean positiveExtrapolation, double extrapolationAlpha,
                                          boolean negativeInterpolation, long seed) {
    public FeatureTransformationConfig {
        if (!(extrapolationAlpha > 0)) {
            throw new IllegalArgumentException("extrapolation alpha must be > 0, got " + extrapolationAlpha);
        }
    }

    /** Both transformations, alpha 2, seed 2020. */
    public static FeatureTransformationConfig defaults() {
        return new FeatureTransformationConfig(true, 2.0, true, 2020L);
    }

    public FeatureTransformationConfig withPositiveExtrapolation(boolean value) {
        return new FeatureTransformationConfig(value, extrapolationAlpha, negativeInterpolation, seed);
    }

    public FeatureTransformationConfig withExtrapolationAlpha(double value) {
        return new FeatureTransformationConfig(positiveExtrapolation, value, negativeInterpolation, seed);
    }

    public FeatureTransformationConfig withNegativeInterpolation(boolean value) {
        return new FeatureTransformationConfig(positiveExtrapolation, extrapolationAlpha, value, seed);
    }

    public FeatureTransformationConfig withSeed(long value) {
        return new FeatureTransformationConfig(positiveExtrapolation, extrapolationAlpha, negativeInterpolation, value);
    }
}
