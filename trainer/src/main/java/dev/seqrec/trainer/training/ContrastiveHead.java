package dev.seqrec.trainer.training;

import dev.seqrec.contrastive.InfoNce;
import dev.seqrec.contrastive.InfoNceConfig;
import dev.seqrec.contrastive.MclrecRegularizer;
import dev.seqrec.contrastive.MclrecRegularizerConfig;
import dev.seqrec.contrastive.Similarity;
import dev.seqrec.trainer.checkpoint.ModelKind;
import dev.seqrec.trainer.model.Augmenters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The contrastive part of the objectives (spec 7), built from the contrastive module's losses as a small SameDiff
 * graph over the two views' sequence vectors h1, h2 [B, d]. The vectors are graph variables whose arrays are replaced
 * per batch (SameDiff returns no gradients for placeholders), so their gradients flow back into the eager encoder.
 *
 * <p>Two graphs share the augmenters' arrays: the encoder's, lambda L_cl1 (+ beta C for MCLRec), differentiated
 * with respect to h1 and h2 only, so the augmenters pass gradients through but are not updated (spec 8, passes 1
 * and 3); and the augmenters', C alone, differentiated with respect to phi (pass 2).
 */
public final class ContrastiveHead {
    static final String H1 = "h1";
    static final String H2 = "h2";
    /** Loss key of the weighted contrastive total, lambda L_cl1 (+ beta C), that the encoder passes add to L_rec. */
    public static final String WEIGHTED_TOTAL = "contrastive";
    /** In-batch contrast needs two samples; the vectors' initial arrays have this many rows. */
    private static final int MIN_BATCH = 2;

    private final SameDiff encoderGraph = SameDiff.create();
    private final Map<String, String> encoderLosses = new LinkedHashMap<>();
    private final SameDiff augmenterGraph;
    private final Map<String, String> augmenterLosses = new LinkedHashMap<>();
    private final List<String> augmenterParameters = new ArrayList<>();

    /** @param augmenters required for MCLRec, ignored for CL4SRec */
    public ContrastiveHead(ModelKind kind, ObjectiveWeights weights, Augmenters augmenters, int hidden, DataType type) {
        if (kind == ModelKind.SASREC) {
            throw new IllegalArgumentException("SASRec has no contrastive term");
        }
        SDVariable h1 = encoderGraph.var(H1, Nd4j.zeros(type, MIN_BATCH, hidden));
        SDVariable h2 = encoderGraph.var(H2, Nd4j.zeros(type, MIN_BATCH, hidden));
        InfoNce nce = new InfoNce(InfoNceConfig.defaults().withTemperature(weights.temperature()));
        SDVariable cl1 = nce.build(encoderGraph, "cl1", h1, h2);
        encoderLosses.put(EncoderObjective.CL1, cl1.name());
        SDVariable total = cl1.mul(weights.lambda());
        if (kind == ModelKind.MCLREC) {
            SDVariable[] z = augmenters.build(encoderGraph, h1, h2);
            SDVariable[] meta = metaTerm(encoderGraph, weights, h1, h2, z[0], z[1]);
            encoderLosses.put(EncoderObjective.CL2, meta[0].name());
            if (meta[1] != null) {
                encoderLosses.put(EncoderObjective.REG, meta[1].name());
            }
            total = total.add(meta[2].mul(weights.beta()));

            augmenterGraph = SameDiff.create();
            SDVariable a1 = augmenterGraph.var(H1, Nd4j.zeros(type, MIN_BATCH, hidden));
            SDVariable a2 = augmenterGraph.var(H2, Nd4j.zeros(type, MIN_BATCH, hidden));
            SDVariable[] az = augmenters.build(augmenterGraph, a1, a2);
            SDVariable[] augMeta = metaTerm(augmenterGraph, weights, a1, a2, az[0], az[1]);
            augmenterLosses.put(EncoderObjective.CL2, augMeta[0].name());
            if (augMeta[1] != null) {
                augmenterLosses.put(EncoderObjective.REG, augMeta[1].name());
            }
            augmenterLosses.put(EncoderObjective.TOTAL, augMeta[2].name());
            augmenterGraph.setLossVariables(augMeta[2]);
            augmenterParameters.addAll(augmenters.tensors().keySet());
        } else {
            augmenterGraph = null;
        }
        encoderLosses.put(EncoderObjective.TOTAL, total.name());
        encoderGraph.setLossVariables(total);
    }

    /**
     * The meta term of spec 7.2 on (h1, z2), (h2, z1), (z1, z2): returns {L_cl2, R or null, C = L_cl2 + 0.1 R}.
     * L_cl2 is always dot product at temperature 1; R uses the configured temperature.
     */
    private static SDVariable[] metaTerm(SameDiff sd, ObjectiveWeights objective, SDVariable h1, SDVariable h2,
                                         SDVariable z1, SDVariable z2) {
        InfoNce fixed = new InfoNce(InfoNceConfig.defaults());
        SDVariable cl2 = fixed.build(sd, "cl2_h1z2", h1, z2)
                .add(fixed.build(sd, "cl2_h2z1", h2, z1))
                .add(fixed.build(sd, "cl2_z1z2", z1, z2));
        if (!objective.useRegularizer()) {
            return new SDVariable[] {cl2, null, cl2};
        }
        MclrecRegularizer rg = new MclrecRegularizer(new MclrecRegularizerConfig(Similarity.DOT, objective.temperature()));
        SDVariable reg = rg.build(sd, "reg_h1z2", h1, z2)
                .add(rg.build(sd, "reg_h2z1", h2, z1))
                .add(rg.build(sd, "reg_z1z2", z1, z2));
        return new SDVariable[] {cl2, reg, cl2.add(reg.mul(objective.regularizerWeight()))};
    }

    /**
     * The encoder passes' contrastive loss and its gradients with respect to h1 and h2 (keys {@link #H1},
     * {@link #H2}); loss terms go to {@code losses}.
     */
    public Map<String, INDArray> encoderPass(INDArray h1, INDArray h2, Map<String, Double> losses) {
        encoderGraph.getVariable(H1).setArray(h1);
        encoderGraph.getVariable(H2).setArray(h2);
        OutAndGrad result = encoderGraph.calculateGradientsAndOutputs(Map.of(), encoderLosses.values(), List.of(H1, H2));
        encoderLosses.forEach((label, variable) -> losses.put(label.equals(EncoderObjective.TOTAL) ? WEIGHTED_TOTAL : label,
                result.getOutputs().get(variable).getDouble(0)));
        return Map.of(H1, result.getGradients().get(H1), H2, result.getGradients().get(H2));
    }

    /** MCLRec's pass 2: C and its gradients with respect to the augmenters' parameters, h1 and h2 held constant. */
    public StepResult augmenterPass(INDArray h1, INDArray h2) {
        augmenterGraph.getVariable(H1).setArray(h1);
        augmenterGraph.getVariable(H2).setArray(h2);
        OutAndGrad result = augmenterGraph.calculateGradientsAndOutputs(Map.of(), augmenterLosses.values(), augmenterParameters);
        Map<String, Double> losses = new LinkedHashMap<>();
        augmenterLosses.forEach((label, variable) -> losses.put(label, result.getOutputs().get(variable).getDouble(0)));
        Map<String, INDArray> gradients = new LinkedHashMap<>();
        for (String name : augmenterParameters) {
            gradients.put(name, result.getGradients().get(name).dup());
        }
        return new StepResult(losses, gradients);
    }
}
