package dev.seqrec.contrastive;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * contrastive-losses.md items 1, 2 and 5 written out naively in double loops, to check the graphs against: row i of
 * u = [a; b] has partner (i + B) mod 2B; its negatives are the rows other than itself, its partner and (with targets)
 * the rows of samples sharing its target.
 */
final class ReferenceInBatchLoss {
    private final Similarity similarity;
    private final double temperature;
    private final double beta;
    private final boolean positiveInDenominator;

    ReferenceInBatchLoss(Similarity similarity, double temperature, double beta, boolean positiveInDenominator) {
        this.similarity = similarity;
        this.temperature = temperature;
        this.beta = beta;
        this.positiveInDenominator = positiveInDenominator;
    }

    /** Per-row losses; NaN marks a DCL row without negatives. */
    double[] rowLosses(INDArray a, INDArray b, int[] targets) {
        return rowLosses(a, b, targets, null);
    }

    /** As {@link #rowLosses(INDArray, INDArray, int[])} with the positive of row i weighted by weights[i]. */
    double[] rowLosses(INDArray a, INDArray b, int[] targets, double[] weights) {
        return rowLosses(a, b, targets, weights, null, null);
    }

    /** With extra negatives [m, d] shared by every anchor, anchor i ignoring those where ignored[i][r] is 1. */
    double[] rowLosses(INDArray a, INDArray b, int[] targets, double[] weights, INDArray extra, INDArray ignored) {
        int batch = (int) a.size(0);
        double[][] u = new double[2 * batch][];
        for (int i = 0; i < batch; i++) {
            u[i] = a.getRow(i).toDoubleVector();
            u[i + batch] = b.getRow(i).toDoubleVector();
        }
        double[] losses = new double[2 * batch];
        for (int i = 0; i < 2 * batch; i++) {
            int partner = (i + batch) % (2 * batch);
            double positive = similarity(u[i], u[partner]);
            double importanceSum = 0;
            double weightedExpSum = 0;
            int negatives = 0;
            for (int k = 0; k < 2 * batch; k++) {
                boolean falseNegative = targets != null && targets[k % batch] == targets[i % batch];
                if (k == i || k == partner || falseNegative) {
                    continue;
                }
                double logit = similarity(u[i], u[k]);
                importanceSum += Math.exp(beta * logit);
                weightedExpSum += Math.exp(beta * logit) * Math.exp(logit);
                negatives++;
            }
            for (int r = 0; extra != null && r < extra.size(0); r++) {
                if (ignored.getDouble(i, r) == 1) {
                    continue;
                }
                double logit = similarity(u[i], extra.getRow(r).toDoubleVector());
                importanceSum += Math.exp(beta * logit);
                weightedExpSum += Math.exp(beta * logit) * Math.exp(logit);
                negatives++;
            }
            double negativeSum = negatives == 0 ? 0 : negatives * weightedExpSum / importanceSum;
            double denominator = (positiveInDenominator ? Math.exp(positive) : 0) + negativeSum;
            double weight = weights == null ? 1 : weights[i];
            losses[i] = denominator == 0 ? Double.NaN : -weight * positive + Math.log(denominator);
        }
        return losses;
    }

    double loss(INDArray a, INDArray b, int[] targets) {
        return mean(rowLosses(a, b, targets));
    }

    /** The mean over rows that count (DCL skips rows without negatives). */
    static double mean(double[] rowLosses) {
        double sum = 0;
        int counted = 0;
        for (double row : rowLosses) {
            if (!Double.isNaN(row)) {
                sum += row;
                counted++;
            }
        }
        return counted == 0 ? 0 : sum / counted;
    }

    /** DCLW's weights w_i = 2 - 2B exp(pos_i / sigma) / sum_j exp(pos_j / sigma), pos without temperature. */
    double[] dclwWeights(INDArray a, INDArray b, double sigma) {
        int batch = (int) a.size(0);
        double[] exponentials = new double[2 * batch];
        double sum = 0;
        for (int i = 0; i < 2 * batch; i++) {
            double positive = similarity(a.getRow(i % batch).toDoubleVector(), b.getRow(i % batch).toDoubleVector());
            exponentials[i] = Math.exp(positive * temperature / sigma);
            sum += exponentials[i];
        }
        double[] weights = new double[2 * batch];
        for (int i = 0; i < 2 * batch; i++) {
            weights[i] = 2 - 2 * batch * exponentials[i] / sum;
        }
        return weights;
    }

    private double similarity(double[] x, double[] y) {
        double dot = 0;
        double xx = 0;
        double yy = 0;
        for (int j = 0; j < x.length; j++) {
            dot += x[j] * y[j];
            xx += x[j] * x[j];
            yy += y[j] * y[j];
        }
        double value = similarity == Similarity.DOT ? dot : dot / Math.sqrt(xx * yy);
        return value / temperature;
    }
}
