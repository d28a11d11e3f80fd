package dev.seqrec.contrastive;

/**
 * {@link InfoNce} computed eagerly (mclrec-spec 7.1): loss_i = -S_ip + logsumexp over every row but i (positive
 * included), averaged over the 2B rows of u = [a; b]. Dot or cosine similarity and a temperature; no masking and no
 * hard-negative weighting (use the graph version for those).
 */
public final class EagerInfoNce extends EagerInBatchLoss {
    private final InfoNceConfig config;

    public EagerInfoNce(InfoNceConfig config) {
        super(config.similarity(), config.temperature());
        if (config.hardNegativeBeta() != 0) {
            throw new IllegalArgumentException("the eager InfoNCE has no hard-negative weighting, got beta "
                    + config.hardNegativeBeta());
        }
        this.config = config;
    }

    public InfoNceConfig config() {
        return config;
    }

    @Override
    double accumulate(EagerTwoViewBatch batch, double weight, double[] gradient) {
        int n = batch.rows;
        double[] s = batch.logits;
        double[] exps = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            int row = i * n;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < n; k++) {
                if (k != i && s[row + k] > max) {
                    max = s[row + k];
                }
            }
            double sum = 0;
            for (int k = 0; k < n; k++) {
                double e = k == i ? 0 : Math.exp(s[row + k] - max);
                exps[k] = e;
                sum += e;
            }
            int partner = batch.partner(i);
            total += Math.log(sum) + max - s[row + partner];
            // d loss_i / d S_ik = softmax_ik - [k = partner], each row weighted 1 / 2B by the mean
            double scale = weight / (sum * n);
            for (int k = 0; k < n; k++) {
                gradient[row + k] += exps[k] * scale;
            }
            gradient[row + partner] -= weight / n;
        }
        return total / n;
    }
}
