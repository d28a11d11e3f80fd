package dev.seqrec.contrastive;

/**
 * InfoNCE / NT-Xent settings.
 *
 * @param similarity       DOT (CL4SRec and MCLRec) or COSINE (SimCLR)
 * @param temperature      tau, dividing every similarity
 * @param hardNegativeBeta beta of the hard-negative weighting softmax(beta S); 0 weights all negatives equally
 */
public record InfoNceConfig(Similarity similarity, double temperature, double hardNegativeBeta) {
    /** Dot product, tau 1, no hard-negative weighting: the InfoNCE of CL4SRec and MCLRec. */
    public static InfoNceConfig defaults() {
        return new InfoNceConfig(Similarity.DOT, 1.0, 0.0);
    }

    public InfoNceConfig withSimilarity(Similarity value) {
        return new InfoNceConfig(value, temperature, hardNegativeBeta);
    }

    public InfoNceConfig withTemperature(double value) {
        return new InfoNceConfig(similarity, value, hardNegativeBeta);
    }

    public InfoNceConfig withHardNegativeBeta(double value) {
        return new InfoNceConfig(similarity, temperature, value);
    }
}
