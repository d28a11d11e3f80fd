package dev.seqrec.contrastive;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The family of InfoNCE, DCL and DCLW: two views stacked as u = [a; b], each of the 2B rows an anchor whose positive
 * is its partner and whose negatives are the other rows (minus false negatives), with optional hard-negative
 * weighting (Robinson et al., 2021). Row i's loss is -w_i p_i + log(exp(p_i) [InfoNCE only] + N_i sum_k s_ik exp(S_ik))
 * with s_i = softmax(beta S_i) over its N_i negatives; beta = 0 gives s_ik = 1 / N_i, the plain sum, which is then
 * computed as a single log-sum-exp over the candidates.
 */
public abstract class InBatchContrastiveLoss implements PairLoss {
    private final Similarity similarity;
    private final double temperature;
    private final double hardNegativeBeta;

    InBatchContrastiveLoss(Similarity similarity, double temperature, double hardNegativeBeta) {
        if (similarity == null) {
            throw new IllegalArgumentException("similarity is required");
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        if (!(hardNegativeBeta >= 0)) {
            throw new IllegalArgumentException("hard-negative beta must be >= 0, got " + hardNegativeBeta);
        }
        this.similarity = similarity;
        this.temperature = temperature;
        this.hardNegativeBeta = hardNegativeBeta;
    }

    /** Whether the positive is one of the candidates of the log-sum-exp (InfoNCE) or not (DCL). */
    abstract boolean positiveInDenominator();

    /** Weights w_i of the positive terms, [2B, 1], treated as constants; null means 1. */
    abstract SDVariable positiveWeights(SameDiff sd, TwoViewBatch batch);

    @Override
    public SDVariable build(SameDiff sd, String name, SDVariable a, SDVariable b) {
        return build(sd, name, a, b, null);
    }

    /**
     * The loss with false-negative masking: targets is a [B] vector of labels or next-item ids; rows of other samples
     * sharing a sample's target are dropped from its candidates. null means no masking.
     */
    public SDVariable build(SameDiff sd, String name, SDVariable a, SDVariable b, SDVariable targets) {
        return build(sd, name, a, b, targets, null);
    }

    /** The per-anchor losses, [2B] (rows a then rows b); rows that have no negative and are skipped hold 0. */
    public SDVariable rowLosses(SameDiff sd, String name, SDVariable a, SDVariable b, SDVariable targets) {
        RowLosses rows;
        try (var scope = sd.withNameScope(name)) {
            rows = rows(sd, a, b, targets, null);
        }
        return sd.reshape(name, rows.losses.mul(rows.counted), -1);
    }

    SDVariable build(SameDiff sd, String name, SDVariable a, SDVariable b, SDVariable targets,
                     ExtraNegatives extra) {
        SDVariable weightedSum;
        SDVariable rowsCounted;
        try (var scope = sd.withNameScope(name)) {
            RowLosses rows = rows(sd, a, b, targets, extra);
            weightedSum = sd.sum(rows.losses.mul(rows.counted));
            rowsCounted = sd.scalarMax(sd.sum(rows.counted), 1);
        }
        return sd.math().div(name, weightedSum, rowsCounted);
    }

    private record RowLosses(SDVariable losses, SDVariable counted) {
    }

    private RowLosses rows(SameDiff sd, SDVariable a, SDVariable b, SDVariable targets, ExtraNegatives extra) {
        TwoViewBatch batch = TwoViewBatch.of(sd, a, b, similarity, temperature);
        SDVariable logits = batch.logits;
        SDVariable notNegative = targets == null ? batch.self.add(batch.partner) : batch.sameTarget(sd, targets);
        SDVariable partner = batch.partner;
        if (extra != null) {
            logits = sd.concat(1, logits, similarity.matrix(sd, batch.stacked, extra.embeddings()).div(temperature));
            notNegative = sd.concat(1, notNegative, extra.drop());
            partner = sd.concat(1, partner, sd.zerosLike(extra.drop()));
        }
        SDVariable hasNegatives = sd.scalarMin(sd.sum(notNegative.rsub(1.0), true, 1), 1);
        SDVariable positives = batch.positives;
        SDVariable denominator;
        if (hardNegativeBeta == 0) {
            // the plain loss: one log-sum-exp over the candidates, the partner among them for InfoNCE
            SDVariable dropped = positiveInDenominator() ? notNegative.sub(partner) : notNegative;
            denominator = GraphConstants.logSumExp(sd, logits, dropped);
        } else {
            SDVariable negativeTerm = weightedNegativeTerm(sd, logits, notNegative, hasNegatives);
            denominator = negativeTerm;
            if (positiveInDenominator()) {
                SDVariable positiveAndNegatives = sd.concat(1, positives, negativeTerm);
                denominator = GraphConstants.logSumExp(sd, positiveAndNegatives, sd.zerosLike(positiveAndNegatives));
            }
        }
        SDVariable weights = positiveWeights(sd, batch);
        SDVariable weightedPositives = weights == null ? positives : positives.mul(weights);
        SDVariable losses = denominator.sub(weightedPositives);
        SDVariable counted = positiveInDenominator() ? sd.onesLike(hasNegatives) : hasNegatives;
        return new RowLosses(losses, counted);
    }

    /**
     * log(N_i sum_k softmax(beta S_i)_k exp(S_ik)) over the N_i negatives of each row, as
     * log N_i + LSE((1 + beta) S_i) - LSE(beta S_i); {@link GraphConstants#MASKED_LOGIT} for rows without negatives.
     */
    private SDVariable weightedNegativeTerm(SameDiff sd, SDVariable logits, SDVariable notNegative,
                                            SDVariable hasNegatives) {
        SDVariable negativeCount = sd.sum(notNegative.rsub(1.0), true, 1);
        return sd.math().log(sd.scalarMax(negativeCount, 1))
                .add(GraphConstants.logSumExp(sd, logits.mul(1 + hardNegativeBeta), notNegative))
                .sub(GraphConstants.logSumExp(sd, logits.mul(hardNegativeBeta), notNegative))
                .add(hasNegatives.rsub(1.0).mul(GraphConstants.MASKED_LOGIT));
    }

    /** Negatives shared by every anchor, [m, d], and which of them each anchor ignores, [2B, m] (1 = ignored). */
    record ExtraNegatives(SDVariable embeddings, SDVariable drop) {
    }
}
