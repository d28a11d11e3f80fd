package dev.seqrec.trainer.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MCLRec's two learnable model augmenters w1, w2 (spec section 6): z = normalise(Wc g(Wb g(Wa h + a) + b) + c),
 * widths d-32-16-d, exact GELU, rows L2-normalised. Weights [in, out].
 */
public final class Augmenters {
    /** Hidden widths fixed by the reference. */
    public static final int[] HIDDEN_WIDTHS = {32, 16};
    /** Keeps the normalisation finite for an all-zero row (the reference has none). */
    private static final double NORM_EPSILON = 1e-12;
    private static final double GELU_SCALE = 1.0 / Math.sqrt(2.0);
    private static final String[] LAYERS = {"a", "b", "c"};

    private final Map<String, INDArray> weights;

    private Augmenters(Map<String, INDArray> weights) {
        this.weights = weights;
    }

    /** PyTorch's default linear initialisation: weights and biases uniform in +-1/sqrt(fan_in). */
    public static Augmenters initialise(int hidden, long seed, DataType type) {
        Nd4j.getRandom().setSeed(seed);
        int[] widths = {hidden, HIDDEN_WIDTHS[0], HIDDEN_WIDTHS[1], hidden};
        Map<String, INDArray> w = new LinkedHashMap<>();
        for (int net = 1; net <= 2; net++) {
            for (int l = 0; l < LAYERS.length; l++) {
                double bound = 1.0 / Math.sqrt(widths[l]);
                w.put(name(net, "w" + LAYERS[l]), Nd4j.rand(type, widths[l], widths[l + 1]).muli(2 * bound).subi(bound));
                w.put(name(net, "b" + LAYERS[l]), Nd4j.rand(type, widths[l + 1]).muli(2 * bound).subi(bound));
            }
        }
        return new Augmenters(w);
    }

    /** Augmenters from tensors named as {@link #tensors()}. */
    public static Augmenters of(Map<String, INDArray> tensors) {
        return new Augmenters(new LinkedHashMap<>(tensors));
    }

    private static String name(int net, String tensor) {
        return "augmenter" + net + "." + tensor;
    }

    /** Every tensor by name (phi). */
    public Map<String, INDArray> tensors() {
        return weights;
    }

    /** Declares phi as variables of {@code sd} (sharing the arrays) and returns z1 = w1(h1), z2 = w2(h2). */
    public SDVariable[] build(SameDiff sd, SDVariable h1, SDVariable h2) {
        Map<String, SDVariable> vars = new LinkedHashMap<>();
        weights.forEach((name, array) -> vars.put(name, sd.var(name, array)));
        return new SDVariable[] {net(sd, vars, 1, h1), net(sd, vars, 2, h2)};
    }

    private static SDVariable net(SameDiff sd, Map<String, SDVariable> v, int net, SDVariable h) {
        SDVariable x = h;
        for (int l = 0; l < LAYERS.length; l++) {
            x = x.mmul(v.get(name(net, "w" + LAYERS[l]))).add(v.get(name(net, "b" + LAYERS[l])));
            if (l < LAYERS.length - 1) {
                x = x.mul(0.5).mul(sd.math().erf(x.mul(GELU_SCALE)).add(1.0));
            }
        }
        SDVariable norm = sd.math().sqrt(x.mul(x).sum(true, 1).add(NORM_EPSILON));
        return x.div(norm);
    }
}
