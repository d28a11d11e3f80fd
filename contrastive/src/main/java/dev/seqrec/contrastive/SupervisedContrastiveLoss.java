package dev.seqrec.contrastive;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * SupCon (Khosla et al., 2020): for anchor i, P(i) = the other rows with its label, A(i) = all rows but i;
 * L_i = -(1 / |P(i)|) sum_(p in P(i)) [S_ip - logsumexp_(a in A(i)) S_ia]. Anchors without any positive are
 * skipped; the loss is the mean over the anchors used.
 */
public final class SupervisedContrastiveLoss implements LabelledLoss {
    private final SupervisedContrastiveConfig config;

    public SupervisedContrastiveLoss(SupervisedContrastiveConfig config) {
        this.config = config;
    }

    public SupervisedContrastiveConfig config() {
        return config;
    }

    @Override
    public SDVariable build(SameDiff sd, String name, SDVariable x, SDVariable labels) {
        SDVariable weightedSum;
        SDVariable anchorsUsed;
        try (var scope = sd.withNameScope(name)) {
            SDVariable logits = config.similarity().matrix(sd, x, x).div(config.temperature());
            SDVariable self = GraphConstants.identityLike(sd, x);
            SDVariable positives = GraphConstants.sameLabel(sd, labels, logits).sub(self);
            SDVariable positiveCount = sd.sum(positives, true, 1);
            SDVariable used = sd.scalarMin(positiveCount, 1);
            SDVariable meanPositiveLogit = sd.sum(positives.mul(logits), true, 1).div(sd.scalarMax(positiveCount, 1));
            SDVariable anchorLosses = GraphConstants.logSumExp(sd, logits, self).sub(meanPositiveLogit);
            weightedSum = sd.sum(anchorLosses.mul(used));
            anchorsUsed = sd.scalarMax(sd.sum(used), 1);
        }
        return sd.math().div(name, weightedSum, anchorsUsed);
    }
}
