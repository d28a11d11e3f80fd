package dev.seqrec.contrastive;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
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
        // built from x's integer shape, so the backward pass has nothing to walk through
        SDVariable rows = sd.reshape(sd.sizeAt(x, 0), 1);
        return sd.math().diag(sd.fill(rows, x.dataType(), 1.0));
    }

    /** [n, m] mask, 1 where labels[i] == labels[j], in the given variable's data type. */
    static SDVariable sameLabel(SameDiff sd, SDVariable labels, SDVariable like) {
        // compared in float64, exact for ids below 2^53 (float32 would merge ids above 2^24); labels are integers,
        // so |difference| < 0.5 is equality
        SDVariable asDouble = sd.castTo(labels, DataType.DOUBLE);
        SDVariable distance = sd.math().abs(sd.reshape(asDouble, -1, 1).sub(sd.reshape(asDouble, 1, -1)));
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
