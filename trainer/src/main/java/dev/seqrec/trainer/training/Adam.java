package dev.seqrec.trainer.training;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
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
    /** One work array per parameter: the update then allocates nothing (the item table alone is ~0.8M floats). */
    private final Map<String, INDArray> scratch = new LinkedHashMap<>();
    private long steps;

    /** Moments and step count start at zero. */
    public Adam(AdamConfig config, Map<String, INDArray> parameters) {
        this.config = config;
        this.parameters = parameters;
        parameters.forEach((name, p) -> {
            firstMoments.put(name, Nd4j.zerosLike(p));
            secondMoments.put(name, Nd4j.zerosLike(p));
            scratch.put(name, Nd4j.zerosLike(p));
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
            INDArray m = firstMoments.get(name);
            INDArray v = secondMoments.get(name);
            INDArray work = scratch.get(name);
            m.muli(config.beta1()).addi(work.assign(g).muli(1 - config.beta1()));
            v.muli(config.beta2()).addi(work.assign(g).muli(g).muli(1 - config.beta2()));
            // work = stepSize m / (sqrt(v) / sqrt(bias2) + eps)
            Nd4j.getExecutioner().exec(new Sqrt(v, work));
            work.divi(rootBias2).addi(config.epsilon()).rdivi(m).muli(stepSize);
            p.subi(work);
        });
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
