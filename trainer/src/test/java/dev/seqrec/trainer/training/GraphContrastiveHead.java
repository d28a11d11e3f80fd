package dev.seqrec.trainer.training;

import dev.seqrec.contrastive.InfoNce;
import dev.seqrec.contrastive.InfoNceConfig;
import dev.seqrec.contrastive.MclrecRegularizer;
import dev.seqrec.contrastive.MclrecRegularizerConfig;
import dev.seqrec.contrastive.Similarity;
import dev.seqrec.trainer.model.Augmenters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The reference for {@link ContrastiveHead}: MCLRec's contrastive terms composed as one SameDiff graph from the
 * contrastive module's graph losses and {@link Augmenters#build}, differentiated by SameDiff.
 */
final class GraphContrastiveHead {
    /** Values by loss key and gradients by variable name ("h1", "h2" and the augmenters' tensors). */
    record Outcome(Map<String, Double> losses, Map<String, INDArray> gradients) {
    }

    private GraphContrastiveHead() {
    }

    /** lambda L_cl1 + beta C, as the encoder passes minimise it. */
    static Outcome encoderObjective(ObjectiveWeights weights, Augmenters augmenters, INDArray h1, INDArray h2) {
        return run(weights, augmenters, h1, h2, true);
    }

    /** C, as the augmenter pass minimises it. */
    static Outcome augmenterObjective(ObjectiveWeights weights, Augmenters augmenters, INDArray h1, INDArray h2) {
        return run(weights, augmenters, h1, h2, false);
    }

    private static Outcome run(ObjectiveWeights weights, Augmenters augmenters, INDArray h1, INDArray h2,
                               boolean encoder) {
        SameDiff sd = SameDiff.create();
        SDVariable a = sd.var("h1", h1.dup());
        SDVariable b = sd.var("h2", h2.dup());
        SDVariable[] z = augmenters.build(sd, a, b);
        InfoNce fixed = new InfoNce(InfoNceConfig.defaults());
        SDVariable cl2 = fixed.build(sd, "cl2_h1z2", a, z[1]).add(fixed.build(sd, "cl2_h2z1", b, z[0]))
                .add(fixed.build(sd, "cl2_z1z2", z[0], z[1]));
        MclrecRegularizer rg = new MclrecRegularizer(new MclrecRegularizerConfig(Similarity.DOT, weights.temperature()));
        SDVariable reg = rg.build(sd, "reg_h1z2", a, z[1]).add(rg.build(sd, "reg_h2z1", b, z[0]))
                .add(rg.build(sd, "reg_z1z2", z[0], z[1]));
        SDVariable meta = weights.useRegularizer() ? cl2.add(reg.mul(weights.regularizerWeight())) : cl2;
        SDVariable cl1 = new InfoNce(InfoNceConfig.defaults().withTemperature(weights.temperature()))
                .build(sd, "cl1", a, b);
        SDVariable total = encoder ? cl1.mul(weights.lambda()).add(meta.mul(weights.beta())) : meta;
        total.markAsLoss();
        List<String> differentiated = new ArrayList<>(List.of("h1", "h2"));
        differentiated.addAll(augmenters.tensors().keySet());
        OutAndGrad result = sd.calculateGradientsAndOutputs(Map.of(),
                List.of(cl1.name(), cl2.name(), reg.name(), total.name()), differentiated);
        Map<String, INDArray> out = result.getOutputs();
        return new Outcome(Map.of(EncoderObjective.CL1, out.get(cl1.name()).getDouble(0),
                EncoderObjective.CL2, out.get(cl2.name()).getDouble(0),
                EncoderObjective.REG, out.get(reg.name()).getDouble(0),
                EncoderObjective.TOTAL, out.get(total.name()).getDouble(0)), result.getGradients());
    }
}
