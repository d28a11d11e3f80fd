package dev.seqrec.eval;

/**
 * Student's t distribution, for paired tests on few cases (length groups, small datasets), where taking it as normal
 * overstates significance: with 5 cases the normal's 95% interval is 30% too narrow.
 */
public final class StudentT {
    private static final int MAX_ITERATIONS = 100_000;
    private static final double TINY = 1e-300;
    private static final double TOLERANCE = 1e-15;
    /** Lanczos approximation of ln Gamma (g = 7, n = 9), accurate to about 1e-15. */
    private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
            771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
            9.9843695780195716e-6, 1.5056327351493116e-7};
    private static final double LANCZOS_G = 7;

    private StudentT() {
    }

    /**
     * P(|T| >= |t|) for T with {@code df} degrees of freedom.
     *
     * @throws IllegalArgumentException when {@code df} is not positive and finite, or {@code t} is NaN
     */
    public static double twoSidedP(double t, double df) {
        if (!(df > 0 && df < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("degrees of freedom must be positive and finite, got " + df);
        }
        if (Double.isNaN(t)) {
            throw new IllegalArgumentException("t must be a number, got NaN");
        }
        if (Double.isInfinite(t)) {
            return 0;
        }
        return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
    }

    /**
     * The t with {@code P(|T| >= t) = p}: the half-width, in standard errors, of a {@code 1 - p} interval.
     *
     * @throws IllegalArgumentException when {@code p} is not strictly between 0 and 1, or {@code df} is not positive
     *                                  and finite
     */
    public static double twoSidedQuantile(double p, double df) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p must lie in (0, 1), got " + p);
        }
        double low = 0;
        double high = 1;
        while (twoSidedP(high, df) > p) {
            high *= 2;
        }
        for (int i = 0; i < 200 && high - low > 1e-13 * high; i++) { // twoSidedP falls as t grows
            double mid = (low + high) / 2;
            if (twoSidedP(mid, df) > p) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return (low + high) / 2;
    }

    /** I_x(a, b), by the continued fraction on whichever side of its mean converges fast (Numerical Recipes). */
    static double regularizedIncompleteBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
        if (x < (a + 1) / (a + b + 2)) {
            return front * continuedFraction(x, a, b) / a;
        }
        return 1 - front * continuedFraction(1 - x, b, a) / b;
    }

    private static double continuedFraction(double x, double a, double b) {
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.abs(d) < TINY ? TINY : d);
        double h = d;
        for (int m = 1; m <= MAX_ITERATIONS; m++) {
            int m2 = 2 * m;
            double even = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 / nonZero(1 + even * d);
            c = nonZero(1 + even / c);
            h *= d * c;
            double odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 / nonZero(1 + odd * d);
            c = nonZero(1 + odd / c);
            double step = d * c;
            h *= step;
            if (Math.abs(step - 1) < TOLERANCE) {
                return h;
            }
        }
        throw new ArithmeticException("incomplete beta did not converge for x " + x + ", a " + a + ", b " + b);
    }

    private static double nonZero(double v) {
        return Math.abs(v) < TINY ? TINY : v;
    }

    static double lnGamma(double x) {
        if (x < 0.5) { // reflection keeps the series where it is accurate
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
        }
        double z = x - 1;
        double sum = LANCZOS[0];
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (z + i);
        }
        double t = z + LANCZOS_G + 0.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
