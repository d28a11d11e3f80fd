package dev.seqrec.trainer.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * MCLRec's two learnable model augmenters w1, w2 (spec section 6): z = normalise(Wc g(Wb g(Wa h + a) + b) + c),
 * widths d-32-16-d, exact GELU, rows L2-normalised. Weights [in, out]. Available as a SameDiff sub-graph
 * ({@link #build}) and eagerly ({@link #forward}, {@link #backward}), which training uses: the matrices are tiny, so a
 * graph's per-op overhead would cost far more than the arithmetic.
 */
public final class Augmenters {
    /** Hidden widths fixed by the reference. */
    public static final int[] HIDDEN_WIDTHS = {32, 16};
    /** Keeps the normalisation finite for an all-zero row (the reference has none). */
    private static final double NORM_EPSILON = 1e-12;
    private static final double GELU_SCALE = 1.0 / Math.sqrt(2.0);
    /** The augmenters' numbers, w1 and w2. */
    public static final int FIRST = 1;
    public static final int SECOND = 2;
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

    /** Width of the vectors the augmenters take and give, d. */
    public long width() {
        return weights.get(name(FIRST, "w" + LAYERS[0])).size(0);
    }

    public DataType dataType() {
        return weights.get(name(FIRST, "w" + LAYERS[0])).dataType();
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

    /** One augmenter's activations on a batch, kept for its backward pass. */
    public static final class Activations {
        private final int net;
        /** Input of each linear layer: h, g(pre 0), g(pre 1). */
        private final INDArray[] layerInputs = new INDArray[LAYERS.length];
        /** Pre-activations of the two GELU layers. */
        private final INDArray[] preActivations = new INDArray[LAYERS.length - 1];
        /** Phi(pre) of the two GELU layers, the standard normal CDF, so that g(x) = x Phi(x). */
        private final INDArray[] normalCdfs = new INDArray[LAYERS.length - 1];
        private INDArray norms;
        private INDArray z;

        private Activations(int net) {
            this.net = net;
        }

        /** The augmented, unit-length rows, [B, d]. */
        public INDArray z() {
            return z;
        }
    }

    /** Eager forward of augmenter {@code net} ({@link #FIRST} or {@link #SECOND}) on h [B, d]. */
    public Activations forward(int net, INDArray h) {
        requireNet(net);
        Activations act = new Activations(net);
        INDArray x = h;
        for (int l = 0; l < LAYERS.length; l++) {
            act.layerInputs[l] = x;
            INDArray pre = SasrecEncoder.product(x, weights.get(name(net, "w" + LAYERS[l])), false, false)
                    .addiRowVector(weights.get(name(net, "b" + LAYERS[l])));
            if (l < LAYERS.length - 1) {
                Gelu.Output gelu = Gelu.forward(pre);
                act.preActivations[l] = pre;
                act.normalCdfs[l] = gelu.normalCdf();
                x = gelu.activated();
            } else {
                x = pre;
            }
        }
        act.norms = Transforms.sqrt(x.mul(x).sum(true, 1).addi(NORM_EPSILON), false);
        act.z = x.divColumnVector(act.norms);
        return act;
    }

    /**
     * Eager backward: dL/dh from dL/dz. When {@code parameterGradients} is not null, the gradients of this
     * augmenter's weights and biases are put there by tensor name; when it is null they are not computed.
     */
    public INDArray backward(Activations act, INDArray dz, Map<String, INDArray> parameterGradients) {
        // through z = x / |x|: (dz - z (dz . z)) / |x|
        INDArray along = dz.mul(act.z).sum(true, 1);
        INDArray d = dz.sub(act.z.mulColumnVector(along)).diviColumnVector(act.norms);
        for (int l = LAYERS.length - 1; l >= 0; l--) {
            if (l < LAYERS.length - 1) {
                d = Gelu.multiplyByDerivative(d, act.preActivations[l], act.normalCdfs[l]);
            }
            INDArray w = weights.get(name(act.net, "w" + LAYERS[l]));
            if (parameterGradients != null) {
                parameterGradients.put(name(act.net, "w" + LAYERS[l]),
                        SasrecEncoder.product(act.layerInputs[l], d, true, false));
                parameterGradients.put(name(act.net, "b" + LAYERS[l]), d.sum(0));
            }
            d = SasrecEncoder.product(d, w, false, true);
        }
        return d;
    }

    private static void requireNet(int net) {
        if (net != FIRST && net != SECOND) {
            throw new IllegalArgumentException("augmenter must be " + FIRST + " or " + SECOND + ", got " + net);
        }
    }
}
