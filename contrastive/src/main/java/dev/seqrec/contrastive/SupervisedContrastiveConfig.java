package dev.seqrec.contrastive;

/**
 * SupCon settings.
 *
 * @param similarity  COSINE in Khosla et al.
 * @param temperature tau, 0.07 in Khosla et al.
 */
public record SupervisedContrastiveConfig(Similarity similarity, double temperature) {
    public SupervisedContrastiveConfig {
        if (similarity == null) {
            throw new IllegalArgumentException("similarity is required");
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
    }

    public static SupervisedContrastiveConfig defaults() {
        return new SupervisedContrastiveConfig(Similarity.COSINE, 0.07);
    }

    public SupervisedContrastiveConfig withSimilarity(Similarity value) {
        return new SupervisedContrastiveConfig(value, temperature);
    }

    public SupervisedContrastiveConfig withTemperature(double value) {
        return new SupervisedContrastiveConfig(similarity, value);
    }
}
