package dev.seqrec.contrastive;

/**
 * Settings of the alignment and uniformity diagnostics (Wang and Isola, 2020).
 *
 * @param alignmentAlpha exponent of the positive-pair distance, 2
 * @param uniformityT    scale t of the Gaussian potential exp(-t ||x_i - x_k||^2), 2
 */
public record AlignmentUniformityConfig(double alignmentAlpha, double uniformityT) {
    public AlignmentUniformityConfig {
        if (!(alignmentAlpha > 0)) {
            throw new IllegalArgumentException("alignment alpha must be > 0, got " + alignmentAlpha);
        }
        if (!(uniformityT > 0)) {
            throw new IllegalArgumentException("uniformity t must be > 0, got " + uniformityT);
        }
    }

    public static AlignmentUniformityConfig defaults() {
        return new AlignmentUniformityConfig(2.0, 2.0);
    }
}
