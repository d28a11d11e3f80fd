package dev.seqrec.trainer.training;

import dev.seqrec.trainer.checkpoint.ModelKind;
import dev.seqrec.trainer.model.Augmenters;
import dev.seqrec.trainer.model.DropoutMasks;
import dev.seqrec.trainer.model.EncoderConfig;
import dev.seqrec.trainer.model.EncoderWeights;
import dev.seqrec.trainer.model.SasrecEncoder;
import dev.seqrec.trainer.model.SequenceBatch;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The encoder's training objective, L_rec + lambda L_cl1 + beta (L_cl2 + 0.1 R) (spec 7.3): SASRec keeps L_rec,
 * CL4SRec adds L_cl1, MCLRec everything. The histories and, for the contrastive models, both views are stacked into
 * one batch and encoded in one forward and one backward pass. L_rec, the full-catalogue softmax cross-entropy with
 * the tied item table (padding column included as a class, spec 4.4), is computed eagerly; the contrastive terms come
 * from {@link ContrastiveHead}.
 */
public final class EncoderObjective {
    public static final String TOTAL = "total";
    public static final String REC = "rec";
    public static final String CL1 = "cl1";
    public static final String CL2 = "cl2";
    public static final String REG = "reg";

    private final EncoderConfig config;
    private final SasrecEncoder encoder;
    private final ContrastiveHead contrastive;
    private final int parts;
    private final boolean joint;

    /** @param augmenters required for MCLRec, ignored otherwise */
    public EncoderObjective(ModelKind kind, EncoderConfig config, EncoderWeights weights, ObjectiveWeights objective,
                            Augmenters augmenters) {
        this.config = config;
        this.encoder = new SasrecEncoder(config, weights);
        this.parts = kind == ModelKind.SASREC ? 1 : 3;
        this.joint = kind == ModelKind.MCLREC && objective.joint();
        this.contrastive = kind == ModelKind.SASREC ? null : new ContrastiveHead(kind, objective, augmenters,
                config.hiddenSize(), weights.itemEmbedding().dataType());
    }

    /** Number of stacked batches this objective expects: 1 (histories) or 3 (histories, view 1, view 2). */
    public int parts() {
        return parts;
    }

    /** Whether encoder and augmenters are trained together in one pass (MCLRec-J). */
    public boolean joint() {
        return joint;
    }

    /** The contrastive head (null for SASRec), for MCLRec's augmenter pass. */
    public ContrastiveHead contrastive() {
        return contrastive;
    }

    public SasrecEncoder encoder() {
        return encoder;
    }

    /**
     * Loss terms and the gradient of the total for every encoder tensor (and, for MCLRec-J, every augmenter tensor).
     *
     * @param stacked     the histories, then (contrastive models) view 1 and view 2, each of the same B rows
     * @param targets     next item of each history [B]
     * @param dropoutSeed fixes this pass's dropout masks
     * @param reportZeroWeightTerms also compute and report the terms weighted 0, which change no gradient (see
     *                    {@link ContrastiveHead#encoderPass})
     */
    public StepResult compute(SequenceBatch stacked, int[] targets, long dropoutSeed, boolean reportZeroWeightTerms) {
        int b = targets.length;
        SasrecEncoder.Activations act = encoder.forward(stacked, new DropoutMasks(dropoutSeed));
        INDArray h = parts == 1 ? act.h : rows(act.h, 0, b);
        Map<String, Double> losses = new LinkedHashMap<>();
        INDArray items = encoder.weights().itemEmbedding();

        // L_rec = mean_b (logsumexp(h E^T) - h . E[target]); d logits = (softmax - onehot) / B. The [B, N+1] logits
        // are the step's largest array: the softmax runs in place on them.
        INDArray logits = SasrecEncoder.softmaxLastAxisInPlace(SasrecEncoder.product(h, items, false, true));
        double rec = 0;
        for (int i = 0; i < b; i++) {
            double p = logits.getDouble(i, targets[i]);
            rec -= Math.log(Math.max(p, Double.MIN_VALUE));
            logits.putScalar(i, targets[i], p - 1.0);
        }
        rec /= b;
        INDArray dLogits = logits.divi(b);
        losses.put(REC, rec);
        INDArray dh = SasrecEncoder.product(dLogits, items, false, false);
        // row-major, so that the lookup's gradient can be scattered into it in place
        INDArray itemGradient = Nd4j.gemm(dLogits, h, Nd4j.createUninitialized(items.dataType(), items.shape(), 'c'),
                true, false, 1.0, 0.0);

        double total = rec;
        INDArray dAll = dh;
        Map<String, INDArray> dViews = Map.of();
        if (contrastive != null) {
            dViews = contrastive.encoderPass(rows(act.h, b, 2 * b), rows(act.h, 2 * b, 3 * b), losses,
                    reportZeroWeightTerms);
            dAll = Nd4j.concat(0, dh, dViews.get(ContrastiveHead.H1), dViews.get(ContrastiveHead.H2));
            total += contrastiveTotal(losses);
        }
        losses.put(TOTAL, total);
        Map<String, INDArray> gradients = encoder.backward(act, dAll, itemGradient);
        // MCLRec-J: the augmenters' gradients come with the views'
        dViews.forEach((name, gradient) -> {
            if (!name.equals(ContrastiveHead.H1) && !name.equals(ContrastiveHead.H2)) {
                gradients.put(name, gradient);
            }
        });
        return new StepResult(losses, gradients);
    }

    private double contrastiveTotal(Map<String, Double> losses) {
        return losses.getOrDefault(ContrastiveHead.WEIGHTED_TOTAL, 0.0);
    }

    private static INDArray rows(INDArray x, int from, int to) {
        return x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup('c');
    }
}
