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
 * Each group (encoder, augmenters) has its own moments and step counter (spec section 8).
 */
public final class Adam {
    private final AdamConfig config;
    private final Map<String, INDArray> parameters;
    private final Map<String, INDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, INDArray> secondMoments = new LinkedHashMap<>();
    private long steps;
    /** Parameter, gradient and moments of the tensor being updated, as Java arrays (float tensors only). */
    private final float[][] floatScratch = {new float[0], new float[0], new float[0], new float[0]};

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
            firstMoments.put(name, Nd4j.zerosLike(p));
            secondMoments.put(name, Nd4j.zerosLike(p));
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
            update(p, contiguous(g, p), firstMoments.get(name), secondMoments.get(name), stepSize, rootBias2);
        });
    }

    /**
     * One fused pass over the four arrays: done as ND4J element-wise ops it took eight passes and as many native calls
     * per tensor, about a tenth of a SASRec step. The float arrays are copied in bulk to Java arrays and back, since
     * a direct buffer's get and put per element cost four times the arithmetic (async-profiler).
     */
    private void update(INDArray p, INDArray g, INDArray m, INDArray v, double stepSize, double rootBias2) {
        AffinityManager affinity = Nd4j.getAffinityManager();
        for (INDArray x : new INDArray[] {p, g, m, v}) {
            affinity.ensureLocation(x, AffinityManager.Location.HOST);
        }
        double b1 = config.beta1();
        double b2 = config.beta2();
        double eps = config.epsilon();
        int n = (int) p.length();
        if (p.dataType() == DataType.DOUBLE) {
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
        } else {
            float[] pa = scratch(0, n);
            float[] ga = scratch(1, n);
            float[] ma = scratch(2, n);
            float[] va = scratch(3, n);
            FloatBuffer pb = p.data().asNioFloat();
            FloatBuffer mb = m.data().asNioFloat();
            FloatBuffer vb = v.data().asNioFloat();
            pb.get(0, pa, 0, n);
            g.data().asNioFloat().get(0, ga, 0, n);
            mb.get(0, ma, 0, n);
            vb.get(0, va, 0, n);
            // in float throughout, as PyTorch's float32 Adam (and so the loop vectorises)
            float fb1 = (float) b1;
            float fb2 = (float) b2;
            float step = (float) stepSize;
            float root = (float) rootBias2;
            float feps = (float) eps;
            for (int i = 0; i < n; i++) {
                float gi = ga[i];
                float mi = fb1 * ma[i] + (1 - fb1) * gi;
                float vi = fb2 * va[i] + (1 - fb2) * gi * gi;
                ma[i] = mi;
                va[i] = vi;
                pa[i] -= step * (mi / ((float) Math.sqrt(vi) / root + feps));
            }
            pb.put(0, pa, 0, n);
            mb.put(0, ma, 0, n);
            vb.put(0, va, 0, n);
        }
        for (INDArray x : new INDArray[] {p, m, v}) {
            affinity.tagLocation(x, AffinityManager.Location.HOST);
        }
    }

    /** Array {@code slot} of the float update's four, at least {@code n} long and reused from step to step. */
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

    /** Moments by "m.NAME" and "v.NAME", for checkpoints. */
    public Map<String, INDArray> state() {
        Map<String, INDArray> state = new LinkedHashMap<>();
        firstMoments.forEach((name, m) -> state.put("m." + name, m));
        secondMoments.forEach((name, v) -> state.put("v." + name, v));
        return state;
    }

    /** Restores moments written by {@link #state()} and the step counter. */
    public void restore(Map<String, INDArray> state, long steps) {
        firstMoments.forEach((name, m) -> m.assign(require(state, "m." + name)));
        secondMoments.forEach((name, v) -> v.assign(require(state, "v." + name)));
        this.steps = steps;
    }

    private static INDArray require(Map<String, INDArray> state, String name) {
        INDArray a = state.get(name);
        if (a == null) {
            throw new IllegalArgumentException("training state lacks optimiser tensor '" + name + "'");
        }
        return a;
    }
}
