package dev.seqrec.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a model's metrics differ from a baseline's on the same cases by more than chance. Both models rank the
 * same targets, so each case gives a pair of values and the comparison is on their differences: the mean difference,
 * its 95% confidence interval and the two-sided p-value of the paired t-test, with Student's t on n - 1 degrees of
 * freedom (a whole split's thousands of cases make it all but normal; a length group of a few does not). Pairing removes the cases' own difficulty, which dominates the
 * spread of each model's metric alone: a difference that two unpaired confidence intervals would call noise can be
 * clear here.
 */
public final class PairedComparison {
    /** The interval's level: 95%, so a two-sided tail of 5%. */
    private static final double INTERVAL_TAIL = 0.05;

    /**
     * One metric of the two models.
     *
     * @param metric   key, "hr@10"
     * @param baseline the baseline's value (mean over the cases)
     * @param model    the model's value
     * @param low      lower end of the 95% confidence interval of {@code model - baseline}
     * @param high     upper end
     * @param pValue   two-sided p-value of "no difference"
     * @param better   cases where the model's value is higher than the baseline's
     * @param worse    cases where it is lower
     */
    public record Difference(String metric, double baseline, double model, double low, double high, double pValue,
                             int better, int worse) {
        public double difference() {
            return model - baseline;
        }
    }

    private PairedComparison() {
    }

    /**
     * Each metric of {@link RankMetric} at each cutoff, in the order of {@link FullRankingEvaluator#metrics}.
     *
     * @param baselineRanks each case's target rank by the baseline, as {@link FullRankingEvaluator#ranks} gives them
     * @param modelRanks    the same cases' ranks by the model
     */
    public static List<Difference> of(int[] baselineRanks, int[] modelRanks, List<Integer> cutoffs) {
        if (baselineRanks.length != modelRanks.length) {
            throw new IllegalArgumentException("ranks of different cases: " + baselineRanks.length + " and "
                    + modelRanks.length);
        }
        int n = baselineRanks.length;
        if (n < 2) {
            throw new IllegalArgumentException("a paired comparison needs at least 2 cases, got " + n);
        }
        int degreesOfFreedom = n - 1;
        double halfWidth = StudentT.twoSidedQuantile(INTERVAL_TAIL, degreesOfFreedom); // in standard errors
        List<Difference> differences = new ArrayList<>();
        for (int k : cutoffs) {
            for (RankMetric metric : RankMetric.values()) {
                double baselineSum = 0;
                double modelSum = 0;
                int better = 0;
                int worse = 0;
                double[] d = new double[n];
                for (int c = 0; c < n; c++) {
                    double a = metric.value(baselineRanks[c], k);
                    double b = metric.value(modelRanks[c], k);
                    baselineSum += a;
                    modelSum += b;
                    d[c] = b - a;
                    if (b > a) {
                        better++;
                    } else if (b < a) {
                        worse++;
                    }
                }
                double mean = (modelSum - baselineSum) / n;
                double squares = 0;
                for (double x : d) {
                    squares += (x - mean) * (x - mean);
                }
                double standardError = Math.sqrt(squares / (n - 1) / n);
                double pValue = standardError == 0 ? (mean == 0 ? 1 : 0)
                        : StudentT.twoSidedP(mean / standardError, degreesOfFreedom);
                differences.add(new Difference(metric.key(k), baselineSum / n, modelSum / n,
                        mean - halfWidth * standardError, mean + halfWidth * standardError, pValue, better, worse));
            }
        }
        return differences;
    }
}
