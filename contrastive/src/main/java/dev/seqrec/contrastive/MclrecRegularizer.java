package dev.seqrec.contrastive;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * MCLRec's contrastive regulariser Rg(a, b) (mclrec-spec 7.2), with p_i and n_ij as in InfoNCE (7.1):
 * q_i = max_j n_ij, lo_i = min(p_i, q_i), hi_i = max(p_i, q_i),
 * Rg = (1 / 2B) sum_i (p_i - lo_i) + (1 / (2B (2B - 2))) sum_(i, j) (hi_i - n_ij).
 * It pulls each positive down towards the hardest negative and the negatives up towards max(p_i, q_i), which keeps
 * learned augmenters from producing collapsed or trivially separable views.
 *
 * <p><b>Gradients at ties</b> follow the PyTorch reference (QinHsiu/MCLRec, {@code meta_contrast_rl_1}), which takes
 * q_i with {@code torch.max(n, dim=-1)} and lo_i, hi_i with {@code torch.min / torch.max(cat(p, q), dim=-1)}:
 * reductions with an index, whose backward sends the whole gradient to the index returned, the first extreme one
 * (PyTorch documents "the indices of the first maximal value"). So:
 * <ul>
 *   <li>q_i's gradient goes to the first hardest negative of row i, in column order;</li>
 *   <li>where p_i = q_i, both lo_i and hi_i take p_i (index 0 of cat(p, q)): p_i - lo_i has no gradient and
 *       hi_i's goes to p_i alone;</li>
 *   <li>the reference's clamps at 0 never bind (both brackets are non-negative) and PyTorch's clamp passes the
 *       gradient at the bound, so they change no gradient either.</li>
 * </ul>
 * The rule is built from explicit stop-gradient masks, not left to ND4J's max/min backward (whose element-wise
 * {@code maximum}/{@code minimum} give a tie's gradient to both inputs). p_i is read off the same logit matrix as
 * the negatives, as in the reference, so that collapsed views tie exactly. {@link EagerMclrecRegularizer} applies the
 * same rule: both give the same gradients on collapsed (all rows equal) views.
 *
 * <p>Needs B >= 2: a batch whose size is known when building is rejected below that. With a dynamic batch size
 * ({@code [-1, d]} placeholder) a batch of one sample, which has no negatives, gives 0 (and no gradient), as DCL does
 * for rows without negatives; it cannot fail with a message at run time.
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
            DataType type = batch.logits.dataType();
            SDVariable notNegative = batch.self.add(batch.partner);
            SDVariable isNegative = notNegative.rsub(1.0);
            SDVariable positives = sd.sum(batch.logits.mul(batch.partner), true, 1);

            // one-hot of the first hardest negative of each row, as a constant
            SDVariable fixedLogits = GraphConstants.withoutGradient(sd, batch.logits);
            SDVariable candidates = fixedLogits.add(notNegative.mul(GraphConstants.MASKED_LOGIT));
            SDVariable atMax = sd.castTo(sd.eq(candidates, sd.max(candidates, true, 1)), type).mul(isNegative);
            SDVariable maximaBefore = sd.cumsum(atMax, true, false, 1);
            SDVariable first = GraphConstants.withoutGradient(sd,
                    atMax.mul(sd.castTo(maximaBefore.lt(0.5), type)));
            SDVariable hardest = sd.sum(batch.logits.mul(first), true, 1);

            // which of p_i and q_i each of lo_i and hi_i selects (a tie selects p_i), as constants
            SDVariable fixedPositives = sd.sum(fixedLogits.mul(batch.partner), true, 1);
            SDVariable fixedHardest = sd.sum(fixedLogits.mul(first), true, 1);
            SDVariable positiveAbove = GraphConstants.withoutGradient(sd,
                    sd.castTo(sd.gt(fixedPositives, fixedHardest), type));
            SDVariable hardestAbove = GraphConstants.withoutGradient(sd,
                    sd.castTo(sd.gt(fixedHardest, fixedPositives), type));
            // p - lo = p - q where p > q, else 0; hi = q where q > p, else p
            SDVariable overlap = positives.sub(hardest).mul(positiveAbove);
            SDVariable high = positives.add(hardest.sub(positives).mul(hardestAbove));

            // both brackets are non-negative by construction, so the reference's clamps at 0 never bind; without
            // negatives (B = 1, dynamic) both terms are 0 rather than 0 / 0
            SDVariable negatives = sd.sum(isNegative);
            positiveTerm = sd.mean(overlap).mul(GraphConstants.withoutGradient(sd, sd.scalarMin(negatives, 1)));
            negativeTerm = sd.sum(high.sub(batch.logits).mul(isNegative)).div(sd.scalarMax(negatives, 1));
        }
        return sd.math().add(name, positiveTerm, negativeTerm);
    }
}
