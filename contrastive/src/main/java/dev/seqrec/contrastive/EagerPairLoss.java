package dev.seqrec.contrastive;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A pair loss computed directly on arrays, forward and backward, without building a graph: for training loops that
 * evaluate small losses many times per step, where SameDiff's per-op overhead would dominate. Same conventions as
 * {@link PairLoss}: two views a, b [B, d], row i of a and row i of b are positives.
 */
public interface EagerPairLoss {
    /** The loss and its gradients, dL/da and dL/db, in the inputs' data type and shape. */
    record Result(double value, INDArray gradientA, INDArray gradientB) {
    }

    Result valueAndGradients(INDArray a, INDArray b);
}
