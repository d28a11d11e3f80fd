package dev.seqrec.trainer.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;

/**
 * Inverted-dropout masks (PyTorch convention: p is the probability of dropping; kept units are scaled by 1/(1-p)),
 * drawn from ND4J's generator reseeded per pass, so that a seed fixes them: resumed runs replay the same masks.
 */
public final class DropoutMasks {

    /** Reseeds ND4J's generator; every mask drawn afterwards follows from {@code seed}. */
    public DropoutMasks(long seed) {
        Nd4j.getRandom().setSeed(seed);
    }

    public INDArray mask(double dropProbability, DataType type, long... shape) {
        if (dropProbability <= 0) {
            return Nd4j.ones(type, shape);
        }
        INDArray kept = Nd4j.createUninitialized(type, shape);
        Nd4j.getExecutioner().exec(new BernoulliDistribution(kept, 1.0 - dropProbability), Nd4j.getRandom());
        return kept.muli(1.0 / (1.0 - dropProbability));
    }
}
