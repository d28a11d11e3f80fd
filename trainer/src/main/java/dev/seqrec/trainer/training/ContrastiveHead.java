package dev.seqrec.trainer.training;

import dev.seqrec.contrastive.EagerInfoNce;
import dev.seqrec.contrastive.EagerLossSum;
import dev.seqrec.contrastive.EagerMclrecRegularizer;
import dev.seqrec.contrastive.EagerPairLoss;
import dev.seqrec.contrastive.InfoNceConfig;
import dev.seqrec.contrastive.MclrecRegularizerConfig;
import dev.seqrec.contrastive.Similarity;
import dev.seqrec.trainer.checkpoint.ModelKind;
import dev.seqrec.trainer.model.Augmenters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The contrastive part of the objectives (spec 7) over the two views' sequence vectors h1, h2 [B, d], computed
 * eagerly with the contrastive module's eager losses and the augmenters' eager forward and backward: the matrices are
 * only [2B, 2B], so SameDiff's per-op overhead cost far more than the arithmetic.
 *
 * <p>Encoder passes (spec 8, passes 1 and 3): lambda L_cl1 (+ beta C for MCLRec), differentiated with respect to
 * h1 and h2 only, the gradient flowing through the frozen augmenters. Augmenter pass (pass 2): C alone,
 * differentiated with respect to phi, h1 and h2 held constant. MCLRec-J's single pass: the encoder passes' loss,
 * differentiated with respect to h1, h2 and phi.
 */
public final class ContrastiveHead {
    static final String H1 = "h1";
    static final String H2 = "h2";
    /** Loss key of the weighted contrastive total, lambda L_cl1 (+ beta C), that the encoder passes add to L_rec. */
    public static final String WEIGHTED_TOTAL = "contrastive";

    private final ModelKind kind;
    private final ObjectiveWeights weights;
    private final Augmenters augmenters;
    private final EagerPairLoss cl1;
    /**
     * The meta term's losses on one pair: L_cl2's InfoNCE (always dot product at temperature 1, spec 7.2), then Rg
     * when used. They share their similarity matrix when the configured temperature is 1, as in every script.
     */
    private final EagerLossSum metaLosses;

    /**
     * @param augmenters required for MCLRec, ignored for CL4SRec
     * @param hidden     width of the encoder's vectors, which the augmenters must take
     * @param type       the encoder's data type, which the augmenters must share
     */
    public ContrastiveHead(ModelKind kind, ObjectiveWeights weights, Augmenters augmenters, int hidden, DataType type) {
        if (kind == ModelKind.SASREC) {
            throw new IllegalArgumentException("SASRec has no contrastive term");
        }
        if (kind == ModelKind.MCLREC) {
            if (augmenters == null) {
                throw new IllegalArgumentException("MCLRec needs its augmenters");
            }
            if (augmenters.width() != hidden || augmenters.dataType() != type) {
                throw new IllegalArgumentException("the augmenters take " + augmenters.dataType() + " vectors of width "
                        + augmenters.width() + " but the encoder makes " + type + " vectors of width " + hidden);
            }
        }
        this.kind = kind;
        this.weights = weights;
        this.augmenters = kind == ModelKind.MCLREC ? augmenters : null;
        this.cl1 = new EagerInfoNce(InfoNceConfig.defaults().withTemperature(weights.temperature()));
        EagerInfoNce cl2 = new EagerInfoNce(InfoNceConfig.defaults());
        this.metaLosses = new EagerLossSum(weights.useRegularizer()
                ? List.of(cl2, new EagerMclrecRegularizer(new MclrecRegularizerConfig(Similarity.DOT, weights.temperature())))
                : List.of(cl2));
    }

    /**
     * The encoder passes' contrastive loss and its gradients with respect to h1 and h2 (keys {@link #H1},
     * {@link #H2}) and, for MCLRec-J, the augmenters' parameters (by their names); loss terms go to {@code losses}.
     * Without {@code reportZeroWeightTerms}, L_cl1 at lambda 0 is neither computed nor reported: it adds nothing to
     * the gradients, and MCLRec's pass 1, whose losses nobody reads, need not pay for it.
     */
    public Map<String, INDArray> encoderPass(INDArray h1, INDArray h2, Map<String, Double> losses,
                                             boolean reportZeroWeightTerms) {
        Map<String, INDArray> gradients = new LinkedHashMap<>();
        Map<String, INDArray> augmenterGradients = weights.joint() ? gradients : null;
        INDArray dh1 = null;
        INDArray dh2 = null;
        double total = 0;
        if (weights.lambda() != 0 || reportZeroWeightTerms) {
            EagerPairLoss.Result first = cl1.valueAndGradients(h1, h2);
            losses.put(EncoderObjective.CL1, first.value());
            dh1 = first.gradientA().muli(weights.lambda());
            dh2 = first.gradientB().muli(weights.lambda());
            total = weights.lambda() * first.value();
        }
        if (kind == ModelKind.MCLREC) {
            MetaTerm meta = metaTerm(h1, h2, weights.beta());
            meta.reportTo(losses);
            dh1 = (dh1 == null ? meta.dh1() : dh1.addi(meta.dh1())).addi(augmenters.backward(meta.z1(), meta.dz1(),
                    augmenterGradients));
            dh2 = (dh2 == null ? meta.dh2() : dh2.addi(meta.dh2())).addi(augmenters.backward(meta.z2(), meta.dz2(),
                    augmenterGradients));
            total += weights.beta() * meta.total();
        } else if (dh1 == null) {
            dh1 = Nd4j.zerosLike(h1);
            dh2 = Nd4j.zerosLike(h2);
        }
        losses.put(WEIGHTED_TOTAL, total);
        gradients.put(H1, dh1);
        gradients.put(H2, dh2);
        return gradients;
    }

    /** MCLRec's pass 2: C and its gradients with respect to the augmenters' parameters, h1 and h2 held constant. */
    public StepResult augmenterPass(INDArray h1, INDArray h2) {
        if (kind != ModelKind.MCLREC) {
            throw new IllegalStateException("only MCLRec has augmenters to train");
        }
        MetaTerm meta = metaTerm(h1, h2, 1.0);
        Map<String, Double> losses = new LinkedHashMap<>();
        meta.reportTo(losses);
        losses.put(EncoderObjective.TOTAL, meta.total());
        Map<String, INDArray> byName = new LinkedHashMap<>();
        augmenters.backward(meta.z1(), meta.dz1(), byName);
        augmenters.backward(meta.z2(), meta.dz2(), byName);
        // in the augmenters' own order, as the optimiser and checkpoints list them
        Map<String, INDArray> gradients = new LinkedHashMap<>();
        augmenters.tensors().keySet().forEach(name -> gradients.put(name, byName.get(name)));
        return new StepResult(losses, gradients);
    }

    /**
     * C = L_cl2 + 0.1 R on (h1, z2), (h2, z1), (z1, z2) (spec 7.2), with the gradients of {@code scale} C with
     * respect to h1, h2 (directly) and z1, z2.
     */
    private MetaTerm metaTerm(INDArray h1, INDArray h2, double scale) {
        Augmenters.Activations z1 = augmenters.forward(Augmenters.FIRST, h1);
        Augmenters.Activations z2 = augmenters.forward(Augmenters.SECOND, h2);
        double[] termWeights = weights.useRegularizer()
                ? new double[] {scale, scale * weights.regularizerWeight()} : new double[] {scale};
        EagerLossSum.Result h1z2 = metaLosses.valuesAndGradients(h1, z2.z(), termWeights);
        EagerLossSum.Result h2z1 = metaLosses.valuesAndGradients(h2, z1.z(), termWeights);
        EagerLossSum.Result z1z2 = metaLosses.valuesAndGradients(z1.z(), z2.z(), termWeights);
        double cl2 = h1z2.values()[0] + h2z1.values()[0] + z1z2.values()[0];
        Double reg = weights.useRegularizer() ? h1z2.values()[1] + h2z1.values()[1] + z1z2.values()[1] : null;
        return new MetaTerm(z1, z2, h1z2.gradientA(), h2z1.gradientA(),
                h2z1.gradientB().addi(z1z2.gradientA()), h1z2.gradientB().addi(z1z2.gradientB()),
                cl2, reg, reg == null ? cl2 : cl2 + weights.regularizerWeight() * reg);
    }

    /**
     * The meta term's values and the gradients of scale C: dh1, dh2 directly, dz1, dz2 still to go back through the
     * augmenters.
     *
     * @param reg null without the regulariser
     */
    private record MetaTerm(Augmenters.Activations z1, Augmenters.Activations z2, INDArray dh1, INDArray dh2,
                            INDArray dz1, INDArray dz2, double cl2, Double reg, double total) {
        void reportTo(Map<String, Double> losses) {
            losses.put(EncoderObjective.CL2, cl2);
            if (reg != null) {
                losses.put(EncoderObjective.REG, reg);
            }
        }
    }
}
