package dev.seqrec.contrastive;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An eager loss computed from the in-batch similarity logits S of u = [a; b]: the loss-specific part only turns S into
 * a value and dL/dS, so several such losses over the same pair and the same similarity share the two matrix
 * products ({@link EagerLossSum}).
 */
public abstract sealed class EagerInBatchLoss implements EagerPairLoss permits EagerInfoNce, EagerMclrecRegularizer {
    private final Similarity similarity;
    private final double temperature;

    EagerInBatchLoss(Similarity similarity, double temperature) {
        if (similarity == null) {
            throw new IllegalArgumentException("similarity is required");
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        this.similarity = similarity;
        this.temperature = temperature;
    }

    Similarity similarity() {
        return similarity;
    }

    double temperature() {
        return temperature;
    }

    /** Rejects inputs the loss is undefined for, before any work. */
    void validate(INDArray a, INDArray b) {
    }

    /** The loss on the batch's logits; adds {@code weight} dL/dS to {@code logitGradient} ([2B, 2B] row-major). */
    abstract double accumulate(EagerTwoViewBatch batch, double weight, double[] logitGradient);

    @Override
    public Result valueAndGradients(INDArray a, INDArray b) {
        validate(a, b);
        EagerTwoViewBatch batch = EagerTwoViewBatch.of(similarity, temperature, a, b);
        double[] gradient = new double[batch.rows * batch.rows];
        double value = accumulate(batch, 1.0, gradient);
        INDArray[] gradients = batch.backward(gradient);
        return new Result(value, gradients[0], gradients[1]);
    }
}
