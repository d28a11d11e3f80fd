package dev.seqrec.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seqrec.trainer.checkpoint.ModelKind;
import dev.seqrec.trainer.model.Augmenters;
import dev.seqrec.trainer.model.EncoderConfig;
import dev.seqrec.trainer.model.EncoderWeights;
import dev.seqrec.trainer.model.SequenceBatch;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Analytic gradients (SameDiff plus the eager embedding scatter) against central finite differences, float64. */
class EncoderObjectiveGradientTest {
    private static final EncoderConfig CONFIG = new EncoderConfig(7, 8, 2, 2, 12, 6, 0.5, 0.5, 1e-12, 0.3);
    private static final ObjectiveWeights WEIGHTS = new ObjectiveWeights(0.3, 0.5, 1.0, 0.1, true, false);
    private static final double STEP = 1e-5;
    private static final long DROPOUT_SEED = 5;
    private static final int[][] HISTORIES = {{1, 2, 3}, {4, 0, 6, 2}, {7}};
    private static final int[][] VIEW1 = {{2, 3}, {4, 0, 0, 2}, {7}};
    private static final int[][] VIEW2 = {{1, 0, 3}, {6, 2}, {7}};
    private static final int[] TARGETS = {4, 5, 1};

    @Test
    void sasrecGradientsMatchFiniteDifferences() {
        check(ModelKind.SASREC);
    }

    @Test
    void mclrecGradientsMatchFiniteDifferences() {
        check(ModelKind.MCLREC);
    }

    private void check(ModelKind kind) {
        SequenceBatch batch = kind == ModelKind.SASREC ? SequenceBatch.of(HISTORIES, CONFIG.maxLength())
                : SequenceBatch.stack(SequenceBatch.of(HISTORIES, CONFIG.maxLength()),
                        SequenceBatch.of(VIEW1, CONFIG.maxLength()), SequenceBatch.of(VIEW2, CONFIG.maxLength()));
        int[] targets = TARGETS;
        EncoderWeights weights = EncoderWeights.initialise(CONFIG, 3, DataType.DOUBLE);
        Augmenters augmenters = Augmenters.initialise(CONFIG.hiddenSize(), 4, DataType.DOUBLE);
        EncoderObjective objective = new EncoderObjective(kind, CONFIG, weights, WEIGHTS, augmenters);
        StepResult analytic = objective.compute(batch, targets, DROPOUT_SEED, true);
        // row 0 of E: output layer only; row 2: looked up and output; row 5: output only (never in a history)
        probe(objective, batch, targets, weights, analytic, EncoderWeights.ITEM_EMBEDDING, 0, 1);
        probe(objective, batch, targets, weights, analytic, EncoderWeights.ITEM_EMBEDDING, 2, 3);
        probe(objective, batch, targets, weights, analytic, EncoderWeights.ITEM_EMBEDDING, 5, 0);
        probe(objective, batch, targets, weights, analytic, EncoderWeights.POSITION_EMBEDDING, 0, 2);
        probe(objective, batch, targets, weights, analytic, EncoderWeights.POSITION_EMBEDDING, 3, 4);
        probe(objective, batch, targets, weights, analytic, EncoderWeights.INPUT_NORM_GAIN, 0, 5);
        probe(objective, batch, targets, weights, analytic, EncoderWeights.blockTensor(0, "wq"), 1, 2);
        probe(objective, batch, targets, weights, analytic, EncoderWeights.blockTensor(1, "w1"), 3, 7);
        probe(objective, batch, targets, weights, analytic, EncoderWeights.blockTensor(1, "b2"), 0, 6);
    }

    private static void probe(EncoderObjective objective, SequenceBatch batch, int[] targets, EncoderWeights weights,
                              StepResult analytic, String tensor, int row, int column) {
        INDArray t = weights.tensors().get(tensor);
        long index = t.rank() == 1 ? column : row * t.size(1) + column;
        double original = t.getDouble(index);
        t.putScalar(index, original + STEP);
        double plus = objective.compute(batch, targets, DROPOUT_SEED, true).losses().get(EncoderObjective.TOTAL);
        t.putScalar(index, original - STEP);
        double minus = objective.compute(batch, targets, DROPOUT_SEED, true).losses().get(EncoderObjective.TOTAL);
        t.putScalar(index, original);
        double numeric = (plus - minus) / (2 * STEP);
        double exact = analytic.gradients().get(tensor).getDouble(index);
        assertEquals(numeric, exact, 1e-6 + 1e-4 * Math.abs(numeric), tensor + "[" + index + "]");
    }
}
