package dev.seqrec.contrastive;

import java.util.Random;

/** Beta(alpha, alpha) draws as X / (X + Y) of two Gamma(alpha) draws (Marsaglia and Tsang's method). */
final class BetaDistribution {
    private final double alpha;

    BetaDistribution(double alpha) {
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("Beta alpha must be > 0, got " + alpha);
        }
        this.alpha = alpha;
    }

    double sample(Random random) {
        double x = gamma(alpha, random);
        double y = gamma(alpha, random);
        return x / (x + y);
    }

    /** Marsaglia and Tsang (2000), "A simple method for generating gamma variables"; shape < 1 via the boost U^(1/k). */
    private static double gamma(double shape, Random random) {
        if (shape < 1) {
            return gamma(shape + 1, random) * Math.pow(random.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = random.nextGaussian();
            double v = Math.pow(1 + c * x, 3);
            if (v <= 0) {
                continue;
            }
            double u = random.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }
}
