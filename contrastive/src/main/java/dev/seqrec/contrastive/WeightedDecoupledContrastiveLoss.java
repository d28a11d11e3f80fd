package dev.seqrec.contrastive;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * DCLW, weighted DCL (Yeh et al., 2022): DCL whose positive terms are weighted by
 * w_i = 2 - 2B exp(pos_i / sigma) / sum_j exp(pos_j / sigma) over all 2B rows, pos_i being row i's similarity with
 * its partner before the temperature. Pairs that are already close weigh less. The weights are constants.
 */
public final class WeightedDecoupledContrastiveLoss extends InBatchContrastiveLoss {
    private final WeightedDecoupledContrastiveConfig config;

    public WeightedDecoupledContrastiveLoss(WeightedDecoupledContrastiveConfig config) {
        super(config.similarity(), config.temperature(), config.hardNegativeBeta());
        this.config = config;
    }

    public WeightedDecoupledContrastiveConfig config() {
        return config;
    }

    @Override
    boolean positiveInDenominator() {
        return false;
    }

    @Override
    SDVariable positiveWeights(SameDiff sd, TwoViewBatch batch) {
        SDVariable scaled = batch.positiveSimilarities.div(config.sigma());
        SDVariable exponentials = sd.math().exp(scaled.sub(sd.max(scaled)));
        // 2B exp(x_i) / sum_j exp(x_j) = exp(x_i) / mean_j exp(x_j)
        SDVariable weights = exponentials.div(sd.mean(exponentials)).rsub(2.0);
        return GraphConstants.withoutGradient(sd, weights);
    }
}
