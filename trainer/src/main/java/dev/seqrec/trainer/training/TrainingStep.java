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
 * with the augmenters frozen, augmenter step on the updated encoder, encoder step again; MCLRec-J's one joint step. Views are drawn once per
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
        SequenceBatch original = SequenceBatch.of(histories, maxLength);
        if (model == ModelKind.SASREC) {
            Map<String, Double> losses = encoderPass(original, targets, random.nextLong(), true);
            return new Work(losses, new SequenceBatch[] {original}, new SequenceBatch[0]);
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
        boolean firstPassReported = model == ModelKind.CL4SREC || objective.joint();
        Map<String, Double> first = encoderPass(stacked, targets, random.nextLong(), firstPassReported);
        if (firstPassReported) {
            return new Work(first, new SequenceBatch[] {stacked}, new SequenceBatch[0]);
        }
        augmenterPass(views, b, random.nextLong());
        Map<String, Double> third = encoderPass(stacked, targets, random.nextLong(), true);
        return new Work(third, new SequenceBatch[] {stacked, stacked}, new SequenceBatch[] {views});
    }

    /**
     * One encoder update (pass 1 or 3), which for MCLRec-J also updates the augmenters: its two optimisers each take
     * one step per batch, the same as one Adam over both. Each pass has the workspace to itself, which bounds MCLRec's
     * memory.
     */
    private Map<String, Double> encoderPass(SequenceBatch batch, int[] targets, long dropoutSeed, boolean reported) {
        try (MemoryWorkspace scratch = ScratchWorkspace.open(WORKSPACE, ScratchWorkspace.TRAINING_PASS_BYTES)) {
            StepResult result = objective.compute(batch, targets, dropoutSeed, reported);
            encoderAdam.step(result.gradients());
            if (objective.joint()) {
                augmenterAdam.step(result.gradients());
            }
            return result.losses();
        }
    }

    /** MCLRec's pass 2: the augmenters on the updated encoder; the views' vectors h1 and h2 are constants here. */
    private void augmenterPass(SequenceBatch views, int b, long dropoutSeed) {
        try (MemoryWorkspace scratch = ScratchWorkspace.open(WORKSPACE, ScratchWorkspace.TRAINING_PASS_BYTES)) {
            SasrecEncoder.Activations encoded = objective.encoder().forward(views, new DropoutMasks(dropoutSeed));
            INDArray h1 = encoded.h.get(NDArrayIndex.interval(0, b), NDArrayIndex.all()).dup('c');
            INDArray h2 = encoded.h.get(NDArrayIndex.interval(b, 2 * b), NDArrayIndex.all()).dup('c');
            augmenterAdam.step(objective.contrastive().augmenterPass(h1, h2).gradients());
        }
    }
}
