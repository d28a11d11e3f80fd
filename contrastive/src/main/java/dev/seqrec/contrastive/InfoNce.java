package dev.seqrec.contrastive;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * InfoNCE / NT-Xent over in-batch negatives (mclrec-spec 7.1): for each of the 2B rows of u = [a; b],
 * loss_i = -S_ip + logsumexp over every row but i itself (positive included); the loss is the mean over 2B rows.
 */
public final class InfoNce extends InBatchContrastiveLoss {
    private final InfoNceConfig config;

    public InfoNce(InfoNceConfig config) {
        super(config.similarity(), config.temperature(), config.hardNegativeBeta());
        this.config = config;
    }

    public InfoNceConfig config() {
        return config;
    }

    @Override
    boolean positiveInDenominator() {
        return true;
    }

    @Override
    SDVariable positiveWeights(SameDiff sd, TwoViewBatch batch) {
        return null;
    }
}
