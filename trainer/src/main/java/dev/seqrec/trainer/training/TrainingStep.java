package dev.seqrec.trainer.training;

import dev.seqrec.trainer.checkpoint.ModelKind;
import dev.seqrec.trainer.model.DropoutMasks;
import dev.seqrec.trainer.model.SasrecEncoder;
import dev.seqrec.trainer.model.ScratchWorkspace;
import dev.seqrec.trainer.model.SequenceBatch;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One mini-batch of training: one encoder step (SASRec, CL4SRec) or MCLRec's three passes (spec 8): encoder step
 * with the augmenters frozen, augmenter step on the updated encoder, encoder step again. Views are drawn once per
 * batch and reused by all passes; each pass draws new dropout masks.
 */
public final class TrainingStep {
    private static final String WORKSPACE = "seqrec-training-step";

    private final ModelKind model;
    private final int maxLength;
    private final EncoderObjective objective;
    private final SequenceAugmentation augmentation;
    private final Adam encoderAdam;
    private final Adam augmenterAdam;

    /** What one step encoded, for throughput accounting: the batches each encoder run saw. */
    public record Work(Map<String, Double> losses, SequenceBatch[] trainedBatches, SequenceBatch[] forwardOnlyBatches) {
    }

    public TrainingStep(ModelKind model, int maxLength, EncoderObjective objective, SequenceAugmentation augmentation,
                        Adam encoderAdam, Adam augmenterAdam) {
        this.model = model;
        this.maxLength = maxLength;
        this.objective = objective;
        this.augmentation = augmentation;
        this.encoderAdam = encoderAdam;
        this.augmenterAdam = augmenterAdam;
    }

    /** Runs the step, updating the parameters in place; {@code random} draws views and dropout seeds. */
    public Work run(int[][] histories, int[] targets, Random random) {
        try (MemoryWorkspace scratch = ScratchWorkspace.open(WORKSPACE)) {
            return runInWorkspace(histories, targets, random);
        }
    }

    private Work runInWorkspace(int[][] histories, int[] targets, Random random) {
        SequenceBatch original = SequenceBatch.of(histories, maxLength);
        if (model == ModelKind.SASREC) {
            StepResult result = objective.compute(original, targets, random.nextLong());
            encoderAdam.step(result.gradients());
            return new Work(result.losses(), new SequenceBatch[] {original}, new SequenceBatch[0]);
        }
        int b = histories.length;
        int[][] view1 = new int[b][];
        int[][] view2 = new int[b][];
        for (int i = 0; i < b; i++) {
            int[][] views = augmentation.twoViews(histories[i], random);
            view1[i] = views[0];
            view2[i] = views[1];
        }
        SequenceBatch views = SequenceBatch.stack(SequenceBatch.of(view1, maxLength), SequenceBatch.of(view2, maxLength));
        SequenceBatch stacked = SequenceBatch.stack(original, views);
        StepResult first = objective.compute(stacked, targets, random.nextLong());
        encoderAdam.step(first.gradients());
        if (model == ModelKind.CL4SREC) {
            return new Work(first.losses(), new SequenceBatch[] {stacked}, new SequenceBatch[0]);
        }
        // pass 2: the augmenters on the updated encoder; h1 and h2 are constants here
        SasrecEncoder.Activations encoded = objective.encoder().forward(views, new DropoutMasks(random.nextLong()));
        INDArray h1 = encoded.h.get(NDArrayIndex.interval(0, b), NDArrayIndex.all()).dup('c');
        INDArray h2 = encoded.h.get(NDArrayIndex.interval(b, 2 * b), NDArrayIndex.all()).dup('c');
        augmenterAdam.step(objective.contrastive().augmenterPass(h1, h2).gradients());
        // pass 3: the encoder again, with the updated augmenters
        StepResult third = objective.compute(stacked, targets, random.nextLong());
        encoderAdam.step(third.gradients());
        return new Work(third.losses(), new SequenceBatch[] {stacked, stacked}, new SequenceBatch[] {views});
    }
}
