package dev.seqrec.contrastive;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;

/** Values built inside a loss graph that must not carry gradient (masks, stabilising shifts, DCLW weights). */
final class GraphConstants {
    /**
     * Logit given to entries removed from a log-sum-exp. Large enough that exp underflows to exactly zero after the
     * row maximum is subtracted, small enough to stay finite in float32.
     */
    static final double MASKED_LOGIT = -1e9;

    private GraphConstants() {
    }

    static SDVariable withoutGradient(SameDiff sd, SDVariable x) {
        return new StopGradient(sd, x).outputVariable();
    }

    /** Dynamic [n, n] identity, n = rows of x, in x's data type. */
    static SDVariable identityLike(SameDiff sd, SDVariable x) {
        SDVariable onePerRow = sd.reshape(sd.onesLike(sd.sum(withoutGradient(sd, x), true, 1)), -1);
        return withoutGradient(sd, sd.math().diag(onePerRow));
    }

    /** [n, m] mask, 1 where labels[i] == labels[j], in the given variable's data type. */
    static SDVariable sameLabel(SameDiff sd, SDVariable labels, SDVariable like) {
        SDVariable column = sd.reshape(sd.castTo(labels, like.dataType()), -1, 1);
        SDVariable row = sd.reshape(sd.castTo(labels, like.dataType()), 1, -1);
        // labels are integers, so |difference| < 0.5 is exact equality without a boolean broadcast
        SDVariable distance = sd.math().abs(column.sub(row));
        return withoutGradient(sd, sd.castTo(distance.lt(0.5), like.dataType()));
    }

    /**
     * Row-wise log-sum-exp over the entries where drop is 0, computed stably: dropped entries are set to
     * {@link #MASKED_LOGIT} before the exponent and the row maximum is subtracted. [n, m] -> [n, 1].
     */
    static SDVariable logSumExp(SameDiff sd, SDVariable logits, SDVariable drop) {
        SDVariable kept = logits.add(drop.mul(MASKED_LOGIT));
        SDVariable rowMax = withoutGradient(sd, sd.max(kept, true, 1));
        return sd.math().log(sd.sum(sd.math().exp(kept.sub(rowMax)), true, 1)).add(rowMax);
    }
}
