package dev.seqrec.trainer.training;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam as PyTorch computes it (no weight decay, no clipping), over a named group of parameters updated in place.
 * Each group (encoder, augmenters) has its own moments and step counter (spec section 8). The moments of float
 * parameters live in Java arrays, where the update reads and writes them: only parameters and gradients cross
 * from ND4J's buffers, and the moments become arrays only for a checkpoint.
 */
public final class Adam {
    private final AdamConfig config;
    private final Map<String, INDArray> parameters;
    /** Moments of double parameters (the gradient checks), as ND4J arrays. */
    private final Map<String, INDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, INDArray> secondMoments = new LinkedHashMap<>();
    /** Moments of float parameters (training). */
    private final Map<String, float[]> firstFloatMoments = new LinkedHashMap<>();
    private final Map<String, float[]> secondFloatMoments = new LinkedHashMap<>();
    private long steps;
    /** Parameter and gradient of the tensor being updated, as Java arrays (float tensors only). */
    private final float[][] floatScratch = {new float[0], new float[0]};

    /** Moments and step count start at zero. */
    public Adam(AdamConfig config, Map<String, INDArray> parameters) {
        this.config = config;
        this.parameters = parameters;
        parameters.forEach((name, p) -> {
            boolean floating = p.dataType() == DataType.FLOAT || p.dataType() == DataType.DOUBLE;
            if (p.isView() || p.ordering() != 'c' || !floating) {
                throw new IllegalArgumentException("parameter " + name + " must be a dense row-major float or double "
                        + "array");
            }
            if (p.dataType() == DataType.FLOAT) {
                firstFloatMoments.put(name, new float[Math.toIntExact(p.length())]);
                secondFloatMoments.put(name, new float[Math.toIntExact(p.length())]);
            } else {
                firstMoments.put(name, Nd4j.zerosLike(p));
                secondMoments.put(name, Nd4j.zerosLike(p));
            }
        });
    }

    /** Hyperparameters; PyTorch's defaults except the learning rate, which the spec sets. */
    public record AdamConfig(double learningRate, double beta1, double beta2, double epsilon) {
        public static final double DEFAULT_BETA1 = 0.9;
        public static final double DEFAULT_BETA2 = 0.999;
        public static final double DEFAULT_EPSILON = 1e-8;
    }

    /** One step: every named gradient is applied to the parameter of the same name. */
    public void step(Map<String, INDArray> gradients) {
        steps++;
        double bias1 = 1 - Math.pow(config.beta1(), steps);
        double bias2 = 1 - Math.pow(config.beta2(), steps);
        double stepSize = config.learningRate() / bias1;
        double rootBias2 = Math.sqrt(bias2);
        parameters.forEach((name, p) -> {
            INDArray g = gradients.get(name);
            if (g == null) {
                throw new IllegalStateException("no gradient for parameter " + name);
            }
            if (p.dataType() == DataType.FLOAT) {
                updateFloat(p, contiguous(g, p), firstFloatMoments.get(name), secondFloatMoments.get(name), stepSize,
                        rootBias2);
            } else {
                updateDouble(p, contiguous(g, p), firstMoments.get(name), secondMoments.get(name), stepSize, rootBias2);
            }
        });
    }

    /** One fused pass over the four arrays, through the direct buffers (double parameters: tests only). */
    private void updateDouble(INDArray p, INDArray g, INDArray m, INDArray v, double stepSize, double rootBias2) {
        AffinityManager affinity = Nd4j.getAffinityManager();
        for (INDArray x : new INDArray[] {p, g, m, v}) {
            affinity.ensureLocation(x, AffinityManager.Location.HOST);
        }
        double b1 = config.beta1();
        double b2 = config.beta2();
        double eps = config.epsilon();
        int n = (int) p.length();
        DoubleBuffer pb = p.data().asNioDouble();
        DoubleBuffer gb = g.data().asNioDouble();
        DoubleBuffer mb = m.data().asNioDouble();
        DoubleBuffer vb = v.data().asNioDouble();
        for (int i = 0; i < n; i++) {
            double gi = gb.get(i);
            double mi = b1 * mb.get(i) + (1 - b1) * gi;
            double vi = b2 * vb.get(i) + (1 - b2) * gi * gi;
            mb.put(i, mi);
            vb.put(i, vi);
            pb.put(i, pb.get(i) - stepSize * mi / (Math.sqrt(vi) / rootBias2 + eps));
        }
        for (INDArray x : new INDArray[] {p, m, v}) {
            affinity.tagLocation(x, AffinityManager.Location.HOST);
        }
    }

    /**
     * One fused pass, in float throughout as PyTorch's float32 Adam (and so the loop vectorises): done as ND4J
     * element-wise ops it took eight passes and as many native calls per tensor, about a tenth of a SASRec step.
     * Parameter and gradient are copied in bulk, since a direct buffer's get and put per element cost four times the
     * arithmetic (async-profiler).
     */
    private void updateFloat(INDArray p, INDArray g, float[] ma, float[] va, double stepSize, double rootBias2) {
        AffinityManager affinity = Nd4j.getAffinityManager();
        affinity.ensureLocation(p, AffinityManager.Location.HOST);
        affinity.ensureLocation(g, AffinityManager.Location.HOST);
        int n = ma.length;
        float[] pa = scratch(0, n);
        float[] ga = scratch(1, n);
        FloatBuffer pb = p.data().asNioFloat();
        pb.get(0, pa, 0, n);
        g.data().asNioFloat().get(0, ga, 0, n);
        float fb1 = (float) config.beta1();
        float fb2 = (float) config.beta2();
        float step = (float) stepSize;
        float root = (float) rootBias2;
        float feps = (float) config.epsilon();
        for (int i = 0; i < n; i++) {
            float gi = ga[i];
            float mi = fb1 * ma[i] + (1 - fb1) * gi;
            float vi = fb2 * va[i] + (1 - fb2) * gi * gi;
            ma[i] = mi;
            va[i] = vi;
            pa[i] -= step * (mi / ((float) Math.sqrt(vi) / root + feps));
        }
        pb.put(0, pa, 0, n);
        affinity.tagLocation(p, AffinityManager.Location.HOST);
    }

    /** Array {@code slot} of the float update's two, at least {@code n} long and reused from step to step. */
    private float[] scratch(int slot, int n) {
        if (floatScratch[slot].length < n) {
            floatScratch[slot] = new float[n];
        }
        return floatScratch[slot];
    }

    /** The gradient as a dense row-major array of the parameter's type and shape, copied only when it is not one. */
    private static INDArray contiguous(INDArray g, INDArray p) {
        INDArray typed = g.dataType() == p.dataType() ? g : g.castTo(p.dataType());
        if (typed.length() != p.length()) {
            throw new IllegalArgumentException("gradient of shape " + Arrays.toString(g.shape())
                    + " for a parameter of shape " + Arrays.toString(p.shape()));
        }
        return !typed.isView() && typed.ordering() == 'c' ? typed : typed.dup('c');
    }

    public long steps() {
        return steps;
    }

    /** Moments by "m.NAME" and "v.NAME", in parameter order, shaped as their parameters: copies, for checkpoints. */
    public Map<String, INDArray> state() {
        Map<String, INDArray> state = new LinkedHashMap<>();
        putMoments(state, "m.", firstFloatMoments, firstMoments);
        putMoments(state, "v.", secondFloatMoments, secondMoments);
        return state;
    }

    /** One moment of every parameter, in parameter order, as an array of the parameter's shape. */
    private void putMoments(Map<String, INDArray> state, String prefix, Map<String, float[]> floats,
                            Map<String, INDArray> doubles) {
        parameters.forEach((name, p) -> state.put(prefix + name, floats.containsKey(name)
                ? Nd4j.createFromArray(floats.get(name)).reshape('c', p.shape())
                : doubles.get(name).dup()));
    }

    /** Restores moments written by {@link #state()} and the step counter. */
    public void restore(Map<String, INDArray> state, long steps) {
        parameters.forEach((name, p) -> {
            INDArray m = require(state, "m." + name, p);
            INDArray v = require(state, "v." + name, p);
            if (p.dataType() == DataType.FLOAT) {
                copyInto(m, firstFloatMoments.get(name));
                copyInto(v, secondFloatMoments.get(name));
            } else {
                firstMoments.get(name).assign(m);
                secondMoments.get(name).assign(v);
            }
        });
        this.steps = steps;
    }

    private static void copyInto(INDArray source, float[] target) {
        INDArray flat = source.castTo(DataType.FLOAT).dup('c').reshape(target.length);
        System.arraycopy(flat.toFloatVector(), 0, target, 0, target.length);
    }

    private static INDArray require(Map<String, INDArray> state, String name, INDArray parameter) {
        INDArray a = state.get(name);
        if (a == null) {
            throw new IllegalArgumentException("training state lacks optimiser tensor '" + name + "'");
        }
        if (a.length() != parameter.length()) {
            throw new IllegalArgumentException("optimiser tensor '" + name + "' has shape " + Arrays.toString(a.shape())
                    + ", its parameter " + Arrays.toString(parameter.shape()));
        }
        return a;
    }
}
