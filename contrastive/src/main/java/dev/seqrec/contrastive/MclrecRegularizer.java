package dev.seqrec.contrastive;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * MCLRec's contrastive regulariser Rg(a, b) (mclrec-spec 7.2), with p_i and n_ij as in InfoNCE (7.1):
 * q_i = max_j n_ij, lo_i = min(p_i, q_i), hi_i = max(p_i, q_i),
 * Rg = (1 / 2B) sum_i (p_i - lo_i) + (1 / (2B (2B - 2))) sum_(i, j) (hi_i - n_ij).
 * It pulls each positive down towards the hardest negative and the negatives up towards max(p_i, q_i), which keeps
 * learned augmenters from producing collapsed or trivially separable views. Needs B >= 2.
 */
public final class MclrecRegularizer implements PairLoss {
    private final MclrecRegularizerConfig config;

    public MclrecRegularizer(MclrecRegularizerConfig config) {
        if (config.similarity() == null) {
            throw new IllegalArgumentException("similarity is required");
        }
        if (!(config.temperature() > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + config.temperature());
        }
        this.config = config;
    }

    public MclrecRegularizerConfig config() {
        return config;
    }

    @Override
    public SDVariable build(SameDiff sd, String name, SDVariable a, SDVariable b) {
        long[] shape = a.getShape();
        if (shape != null && shape.length == 2 && shape[0] >= 0 && shape[0] < 2) {
            throw new IllegalArgumentException("the MCLRec regulariser needs at least 2 samples per batch, got "
                    + shape[0]);
        }
        SDVariable positiveTerm;
        SDVariable negativeTerm;
        try (var scope = sd.withNameScope(name)) {
            TwoViewBatch batch = TwoViewBatch.of(sd, a, b, config.similarity(), config.temperature());
            SDVariable notNegative = batch.self.add(batch.partner);
            SDVariable isNegative = notNegative.rsub(1.0);
            SDVariable positives = batch.positives;
            // gradients flow through the selected element of each max and min, as in the reference
            SDVariable hardest = sd.max(batch.logits.add(notNegative.mul(GraphConstants.MASKED_LOGIT)), true, 1);
            SDVariable low = sd.math().min(positives, hardest);
            SDVariable high = sd.math().max(positives, hardest);
            // both brackets are non-negative by construction, so the reference's clamps at 0 never bind
            positiveTerm = sd.mean(positives.sub(low));
            negativeTerm = sd.sum(high.sub(batch.logits).mul(isNegative)).div(sd.sum(isNegative));
        }
        return sd.math().add(name, positiveTerm, negativeTerm);
    }
}
