package dev.seqrec.contrastive;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Feature transformation (Zhu et al., 2021) in front of a pair loss. Positive extrapolation replaces (a_i, b_i) by
 * (lambda a_i + (1 - lambda) b_i, lambda b_i + (1 - lambda) a_i), lambda ~ Beta(alpha, alpha) + 1 per pair, which
 * makes positives harder; negative interpolation adds negatives mu u_j + (1 - mu) u_k mixed from random pairs of rows
 * of u = [a; b], each ignored by the anchors whose own sample went into it.
 *
 * <p>The random draws enter the graph as placeholders, so one graph serves training and evaluation: feed
 * {@link #inputs} each step, drawn in {@link Mode#TRAINING} and the identity (lambda = 1, no extra negative) in
 * {@link Mode#EVALUATION}, where the loss equals the inner loss.
 */
public final class FeatureTransformation implements PairLoss {
    public enum Mode { TRAINING, EVALUATION }

    private static final String EXTRAPOLATION = "/feature_transformation_lambda";
    private static final String MIXING = "/feature_transformation_mixing";
    private static final String MIXING_IGNORED = "/feature_transformation_ignored";

    private final FeatureTransformationConfig config;
    private final PairLoss inner;
    private final BetaDistribution extrapolation;
    private final Random random;

    public FeatureTransformation(FeatureTransformationConfig config, PairLoss inner) {
        if (config.negativeInterpolation() && !(inner instanceof InBatchContrastiveLoss)) {
            throw new IllegalArgumentException("negative interpolation needs InfoNCE, DCL or DCLW as the inner loss, got "
                    + inner.getClass().getSimpleName());
        }
        this.config = config;
        this.inner = inner;
        this.extrapolation = new BetaDistribution(config.extrapolationAlpha());
        this.random = new Random(config.seed());
    }

    public FeatureTransformationConfig config() {
        return config;
    }

    @Override
    public SDVariable build(SameDiff sd, String name, SDVariable a, SDVariable b) {
        DataType type = a.dataType();
        SDVariable lambda = sd.placeHolder(name + EXTRAPOLATION, type, -1, 1);
        SDVariable oneMinusLambda = lambda.rsub(1.0);
        SDVariable extrapolatedA = a.mul(lambda).add(b.mul(oneMinusLambda));
        SDVariable extrapolatedB = b.mul(lambda).add(a.mul(oneMinusLambda));
        if (!config.negativeInterpolation()) {
            return inner.build(sd, name, extrapolatedA, extrapolatedB);
        }
        SDVariable mixing = sd.placeHolder(name + MIXING, type, -1, -1);
        SDVariable ignored = sd.placeHolder(name + MIXING_IGNORED, type, -1, -1);
        SDVariable interpolated = sd.mmul(mixing, sd.concat(0, extrapolatedA, extrapolatedB));
        return ((InBatchContrastiveLoss) inner).build(sd, name, extrapolatedA, extrapolatedB, null,
                new InBatchContrastiveLoss.ExtraNegatives(interpolated, ignored));
    }

    /**
     * The placeholder values of the graph built under this name for a batch of batchSize pairs: fresh draws in
     * training, the identity in evaluation.
     */
    public Map<String, INDArray> inputs(String name, int batchSize, DataType type, Mode mode) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        boolean training = mode == Mode.TRAINING;
        Map<String, INDArray> inputs = new HashMap<>();
        double[] lambda = new double[batchSize];
        for (int i = 0; i < batchSize; i++) {
            lambda[i] = training && config.positiveExtrapolation() ? extrapolation.sample(random) + 1 : 1;
        }
        inputs.put(name + EXTRAPOLATION, Nd4j.createFromArray(lambda).reshape(batchSize, 1).castTo(type));
        if (config.negativeInterpolation()) {
            int rows = 2 * batchSize;
            double[][] mixing = new double[rows][rows];
            double[][] ignored = new double[rows][rows];
            for (int j = 0; j < rows; j++) {
                if (!training) {
                    // evaluation draws nothing, so it leaves the training draws' sequence as it was
                    Arrays.fill(ignored[j], 1);
                    continue;
                }
                // one extra negative per row j, mixed with another row k; anchors of either sample ignore it
                int k = rows > 1 ? (j + 1 + random.nextInt(rows - 1)) % rows : j;
                double mu = random.nextDouble();
                mixing[j][j] += mu;
                mixing[j][k] += 1 - mu;
                for (int anchor = 0; anchor < rows; anchor++) {
                    int sample = anchor % batchSize;
                    ignored[anchor][j] = sample == j % batchSize || sample == k % batchSize ? 1 : 0;
                }
            }
            inputs.put(name + MIXING, Nd4j.createFromArray(mixing).castTo(type));
            inputs.put(name + MIXING_IGNORED, Nd4j.createFromArray(ignored).castTo(type));
        }
        return inputs;
    }

    /** The loss on concrete views, drawing this step's inputs in the given mode. */
    public double value(INDArray a, INDArray b, Mode mode) {
        return EagerLoss.value(this, a, b, inputs(EagerLoss.OUTPUT, (int) a.size(0), a.dataType(), mode));
    }
}
