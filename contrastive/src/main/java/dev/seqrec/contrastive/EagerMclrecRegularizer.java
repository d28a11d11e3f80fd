package dev.seqrec.contrastive;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link MclrecRegularizer} computed eagerly (mclrec-spec 7.2):
 * Rg = (1 / 2B) sum_i (p_i - min(p_i, q_i)) + (1 / (2B (2B - 2))) sum_(i, j) (max(p_i, q_i) - n_ij), q_i = max_j n_ij.
 * Gradients go through the selected element of each max and min, with the graph's tie rule, that of the PyTorch
 * reference (see {@link MclrecRegularizer}): q_i is the first hardest negative in column order, and where p_i = q_i
 * both min and max select p_i, so that row's p_i - min(p_i, q_i) has no gradient and max(p_i, q_i)'s goes to p_i.
 * Needs B >= 2 (rejected below that).
 */
public final class EagerMclrecRegularizer extends EagerInBatchLoss {
    private final MclrecRegularizerConfig config;

    public EagerMclrecRegularizer(MclrecRegularizerConfig config) {
        super(config.similarity(), config.temperature());
        this.config = config;
    }

    public MclrecRegularizerConfig config() {
        return config;
    }

    @Override
    void validate(INDArray a, INDArray b) {
        if (a.rank() == 2 && a.size(0) < 2) {
            throw new IllegalArgumentException("the MCLRec regulariser needs at least 2 samples per batch, got "
                    + a.size(0));
        }
    }

    @Override
    double accumulate(EagerTwoViewBatch batch, double weight, double[] gradient) {
        int n = batch.rows;
        double[] s = batch.logits;
        double perRow = weight / n;
        double perNegative = 1.0 / ((double) n * (n - 2));
        double positiveTerm = 0;
        double negativeSum = 0;
        double highSum = 0;
        for (int i = 0; i < n; i++) {
            int row = i * n;
            int partner = batch.partner(i);
            int hardest = -1;
            for (int k = 0; k < n; k++) {
                if (k == i || k == partner) {
                    continue;
                }
                negativeSum += s[row + k];
                gradient[row + k] -= weight * perNegative;
                if (hardest < 0 || s[row + k] > s[row + hardest]) {
                    hardest = k;
                }
            }
            double positive = s[row + partner];
            double negative = s[row + hardest];
            if (positive > negative) {
                // p - min(p, q) = p - q; max(p, q) = p
                positiveTerm += positive - negative;
                gradient[row + partner] += 2 * perRow;
                gradient[row + hardest] -= perRow;
                highSum += positive;
            } else if (negative > positive) {
                // p - min(p, q) = 0; max(p, q) = q
                gradient[row + hardest] += perRow;
                highSum += negative;
            } else {
                // a tie: min and max both select p, so p - min(p, q) = p - p; max(p, q) = p
                gradient[row + partner] += perRow;
                highSum += positive;
            }
        }
        // sum_(i, j) (hi_i - n_ij) = (2B - 2) sum_i hi_i - sum of all negatives
        return (positiveTerm + highSum) / n - negativeSum * perNegative;
    }
}
