package dev.seqrec.contrastive;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** How two embeddings are compared: plain dot product, or cosine (rows L2-normalised first). */
public enum Similarity {
    DOT,
    COSINE;

    /**
     * Row norms are sqrt(|x|^2 + epsilon^2), so that an all-zero row normalises to zero, and its gradient stays
     * finite, instead of NaN.
     */
    static final double NORM_EPSILON = 1e-12;

    /** The rows as they enter the similarity: unchanged for DOT, unit length for COSINE. */
    public SDVariable prepare(SameDiff sd, SDVariable x) {
        if (this == DOT) {
            return x;
        }
        SDVariable squaredNorm = sd.sum(x.mul(x), true, 1);
        return x.div(sd.math().sqrt(squaredNorm.add(NORM_EPSILON * NORM_EPSILON)));
    }

    /** [n, d] x [m, d] -> [n, m] similarities of every row of x with every row of y. */
    public SDVariable matrix(SameDiff sd, SDVariable x, SDVariable y) {
        return sd.mmul(prepare(sd, x), prepare(sd, y), false, true, false);
    }

    /** [n, d] x [n, d] -> [n, 1] similarity of row i of x with row i of y. */
    public SDVariable rowwise(SameDiff sd, SDVariable x, SDVariable y) {
        return sd.sum(prepare(sd, x).mul(prepare(sd, y)), true, 1);
    }
}
