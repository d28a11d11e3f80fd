package dev.seqrec.trainer.training;

import java.util.Locale;

/**
 * Per-dataset weights of the reference scripts (spec section 9.2).
 *
 * @param lambda  weight of L_cl1
 * @param beta    weight of the meta term
 * @param dropout hidden and attention dropout
 */
public enum DatasetPreset {
    BEAUTY(0.0, 0.05, 0.5),
    SPORTS(0.04, 0.4, 0.5),
    TOYS(0.01, 0.1, 0.5),
    YELP(0.03, 0.1, 0.5),
    ML_1M(0.0, 0.01, 0.1);

    private final double lambda;
    private final double beta;
    private final double dropout;

    DatasetPreset(double lambda, double beta, double dropout) {
        this.lambda = lambda;
        this.beta = beta;
        this.dropout = dropout;
    }

    public double lambda() {
        return lambda;
    }

    public double beta() {
        return beta;
    }

    public double dropout() {
        return dropout;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static DatasetPreset parse(String label) {
        for (DatasetPreset preset : values()) {
            if (preset.label().equals(label.toLowerCase(Locale.ROOT))) {
                return preset;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + label + "' (expected beauty, sports, toys, yelp or ml-1m)");
    }
}
