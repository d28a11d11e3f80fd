package dev.seqrec.contrastive;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * DCL, decoupled contrastive loss (Yeh et al., 2022): InfoNCE with the positive removed from the denominator,
 * loss_i = -S_ip + logsumexp over every row but i and its partner. Rows left without any negative (B = 1, or every
 * other sample masked as a false negative) are skipped; the loss is the mean over the other rows.
 */
public final class DecoupledContrastiveLoss extends InBatchContrastiveLoss {
    private final DecoupledContrastiveConfig config;

    public DecoupledContrastiveLoss(DecoupledContrastiveConfig config) {
        super(config.similarity(), config.temperature(), config.hardNegativeBeta());
        this.config = config;
    }

    public DecoupledContrastiveConfig config() {
        return config;
    }

    @Override
    boolean positiveInDenominator() {
        return false;
    }

    @Override
    SDVariable positiveWeights(SameDiff sd, TwoViewBatch batch) {
        return null;
    }
}
