package dev.seqrec.contrastive;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A weighted sum of eager in-batch losses over the same pair (a, b), each term's value reported on its own. Terms with
 * the same similarity and temperature share one similarity matrix and one backward product, which is most of the
 * cost (e.g. MCLRec's InfoNCE and regulariser on the same views).
 */
public final class EagerLossSum {
    private final List<EagerInBatchLoss> terms;

    /** The terms' values, in the order given, and the gradients of sum_k weight_k L_k. */
    public record Result(double[] values, INDArray gradientA, INDArray gradientB) {
    }

    public EagerLossSum(List<? extends EagerInBatchLoss> terms) {
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("a loss sum needs at least one term");
        }
        this.terms = List.copyOf(terms);
    }

    /** @param weights one per term */
    public Result valuesAndGradients(INDArray a, INDArray b, double... weights) {
        if (weights.length != terms.size()) {
            throw new IllegalArgumentException(terms.size() + " terms but " + weights.length + " weights");
        }
        terms.forEach(term -> term.validate(a, b));
        double[] values = new double[terms.size()];
        List<EagerTwoViewBatch> batches = new ArrayList<>();
        List<double[]> logitGradients = new ArrayList<>();
        for (int t = 0; t < terms.size(); t++) {
            EagerInBatchLoss term = terms.get(t);
            int shared = -1;
            for (int k = 0; k < batches.size() && shared < 0; k++) {
                if (batches.get(k).comparesAs(term.similarity(), term.temperature())) {
                    shared = k;
                }
            }
            if (shared < 0) {
                EagerTwoViewBatch batch = EagerTwoViewBatch.of(term.similarity(), term.temperature(), a, b);
                batches.add(batch);
                logitGradients.add(new double[batch.rows * batch.rows]);
                shared = batches.size() - 1;
            }
            values[t] = term.accumulate(batches.get(shared), weights[t], logitGradients.get(shared));
        }
        INDArray[] gradients = batches.get(0).backward(logitGradients.get(0));
        for (int k = 1; k < batches.size(); k++) {
            INDArray[] more = batches.get(k).backward(logitGradients.get(k));
            gradients[0].addi(more[0]);
            gradients[1].addi(more[1]);
        }
        return new Result(values, gradients[0], gradients[1]);
    }
}
