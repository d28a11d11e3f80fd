package dev.seqrec.contrastive;

/**
 * DCL settings; defaults as InfoNCE's, of which DCL is the decoupled form.
 *
 * @param similarity       DOT or COSINE
 * @param temperature      tau, dividing every similarity
 * @param hardNegativeBeta beta of the hard-negative weighting softmax(beta S); 0 weights all negatives equally
 */
public record DecoupledContrastiveConfig(Similarity similarity, double temperature, double hardNegativeBeta) {
    public static DecoupledContrastiveConfig defaults() {
        return new DecoupledContrastiveConfig(Similarity.DOT, 1.0, 0.0);
    }

    public DecoupledContrastiveConfig withSimilarity(Similarity value) {
        return new DecoupledContrastiveConfig(value, temperature, hardNegativeBeta);
    }

    public DecoupledContrastiveConfig withTemperature(double value) {
        return new DecoupledContrastiveConfig(similarity, value, hardNegativeBeta);
    }

    public DecoupledContrastiveConfig withHardNegativeBeta(double value) {
        return new DecoupledContrastiveConfig(similarity, temperature, value);
    }
}
