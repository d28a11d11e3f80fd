package dev.seqrec.contrastive;

/**
 * DCLW settings.
 *
 * @param similarity       DOT or COSINE; also the similarity the weights are computed from
 * @param temperature      tau, dividing every similarity of the loss (not of the weights)
 * @param sigma            the weights' softmax scale: w_i = 2 - 2B softmax(pos / sigma)_i
 * @param hardNegativeBeta beta of the hard-negative weighting softmax(beta S); 0 weights all negatives equally
 */
public record WeightedDecoupledContrastiveConfig(Similarity similarity, double temperature, double sigma,
                                                 double hardNegativeBeta) {
    public WeightedDecoupledContrastiveConfig {
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("sigma must be > 0, got " + sigma);
        }
    }

    /** Dot product, tau 1, sigma 0.5, no hard-negative weighting. */
    public static WeightedDecoupledContrastiveConfig defaults() {
        return new WeightedDecoupledContrastiveConfig(Similarity.DOT, 1.0, 0.5, 0.0);
    }

    public WeightedDecoupledContrastiveConfig withSimilarity(Similarity value) {
        return new WeightedDecoupledContrastiveConfig(value, temperature, sigma, hardNegativeBeta);
    }

    public WeightedDecoupledContrastiveConfig withTemperature(double value) {
        return new WeightedDecoupledContrastiveConfig(similarity, value, sigma, hardNegativeBeta);
    }

    public WeightedDecoupledContrastiveConfig withSigma(double value) {
        return new WeightedDecoupledContrastiveConfig(similarity, temperature, value, hardNegativeBeta);
    }

    public WeightedDecoupledContrastiveConfig withHardNegativeBeta(double value) {
        return new WeightedDecoupledContrastiveConfig(similarity, temperature, sigma, value);
    }
}
