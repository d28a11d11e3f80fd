package dev.seqrec.trainer.training;

import dev.seqrec.trainer.checkpoint.ModelKind;
import dev.seqrec.trainer.model.EncoderConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Every training setting, with the spec's defaults (sections 4.1, 5, 7, 8, 9).
 *
 * @param model             sasrec, cl4srec or mclrec
 * @param epochs            at most this many epochs
 * @param timeLimitSeconds  stop (resumably) after this much wall time; 0 for no limit
 * @param batchSize         training samples per step
 * @param learningRate      Adam's, for the encoder and the augmenters
 * @param hiddenSize        d
 * @param layers            transformer blocks
 * @param heads             attention heads
 * @param innerSize         feed-forward width
 * @param maxLength         L
 * @param hiddenDropout     PyTorch convention (probability of dropping)
 * @param attentionDropout  PyTorch convention
 * @param layerNormEps      layer-norm epsilon
 * @param initStd           encoder initialiser standard deviation
 * @param cropRatio         share of a history removed by crop
 * @param maskRatio         share of a history blanked by mask
 * @param reorderRatio      share of a history shuffled by reorder
 * @param objective         loss weights
 * @param patience          stop after this many epochs in a row without a strictly better validation MRR@10
 * @param seed              fixes initialisation, shuffling, augmentation and dropout
 * @param batching          how samples are cut into batches
 * @param bucketBatches     batches per length-sorting window ({@link Batching#LENGTH_BUCKETS})
 * @param threads           ND4J and BLAS threads, see {@link #defaultThreads()}
 */
public record TrainingOptions(ModelKind model, int epochs, long timeLimitSeconds, int batchSize, double learningRate,
                              int hiddenSize, int layers, int heads, int innerSize, int maxLength,
                              double hiddenDropout, double attentionDropout, double layerNormEps, double initStd,
                              double cropRatio, double maskRatio, double reorderRatio, ObjectiveWeights objective,
                              int patience, long seed, Batching batching, int bucketBatches, int threads) {
    public static final int DEFAULT_EPOCHS = 100;
    public static final int DEFAULT_BATCH_SIZE = 256;
    public static final double DEFAULT_LEARNING_RATE = 1e-3;
    public static final double DEFAULT_CROP_RATIO = 0.5;
    public static final double DEFAULT_MASK_RATIO = 0.5;
    public static final double DEFAULT_REORDER_RATIO = 0.8;
    public static final double DEFAULT_TEMPERATURE = 1.0;
    /** CL4SRec's own default weight of L_cl1 where a preset gives 0 (which would make it SASRec). */
    public static final double DEFAULT_CL4SREC_LAMBDA = 0.1;
    public static final int DEFAULT_PATIENCE = 10;
    public static final long DEFAULT_SEED = 2020;
    public static final int DEFAULT_BUCKET_BATCHES = 64;

    /**
     * One compute thread per two cores. This model's operations are small (d = 64, short histories), and libnd4j
     * splits each one across its threads: on the 2-core development machine a second thread left SASRec and MCLRec
     * steps as fast or slower at twice the CPU (README, Training), while two single-threaded runs side by side each
     * kept their speed. The spare cores serve the JVM (collector, compiler, batch preparation) or another run.
     */
    public static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    public TrainingOptions {
        require(epochs >= 1, "--epochs must be >= 1, got " + epochs);
        require(timeLimitSeconds >= 0, "--time-limit must be positive");
        require(batchSize >= 2, "--batch-size must be >= 2 (in-batch negatives), got " + batchSize);
        require(learningRate > 0, "--lr must be > 0, got " + learningRate);
        require(hiddenDropout >= 0 && hiddenDropout < 1, "--hidden-dropout must be in [0, 1), got " + hiddenDropout);
        require(attentionDropout >= 0 && attentionDropout < 1, "--attention-dropout must be in [0, 1), got " + attentionDropout);
        require(cropRatio >= 0 && cropRatio < 1, "--crop-ratio must be in [0, 1), got " + cropRatio);
        require(maskRatio >= 0 && maskRatio < 1, "--mask-ratio must be in [0, 1), got " + maskRatio);
        require(reorderRatio >= 0 && reorderRatio <= 1, "--reorder-ratio must be in [0, 1], got " + reorderRatio);
        require(objective.temperature() > 0, "--temperature must be > 0, got " + objective.temperature());
        require(objective.lambda() >= 0 && objective.beta() >= 0, "--lambda and --beta must be >= 0");
        require(patience >= 0, "--patience must be >= 0, got " + patience);
        require(bucketBatches >= 1, "--bucket-batches must be >= 1, got " + bucketBatches);
        require(threads >= 1, "--threads must be >= 1, got " + threads);
        if (model == ModelKind.MCLREC && hiddenSize != EncoderConfig.DEFAULT_HIDDEN) {
            throw new IllegalArgumentException("MCLRec's augmenters are fixed at 64-32-16-64, so --hidden-size must be 64");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The spec's settings for {@code model} with a dataset preset's weights. */
    public static TrainingOptions defaults(ModelKind model, DatasetPreset preset) {
        return builder(model, preset).build();
    }

    /** A builder starting from {@link #defaults}: set what differs, by name. */
    public static Builder builder(ModelKind model, DatasetPreset preset) {
        double lambda = model == ModelKind.CL4SREC && preset.lambda() == 0 ? DEFAULT_CL4SREC_LAMBDA : preset.lambda();
        Builder b = new Builder();
        b.model = model;
        b.epochs = DEFAULT_EPOCHS;
        b.timeLimitSeconds = 0;
        b.batchSize = DEFAULT_BATCH_SIZE;
        b.learningRate = DEFAULT_LEARNING_RATE;
        b.hiddenSize = EncoderConfig.DEFAULT_HIDDEN;
        b.layers = EncoderConfig.DEFAULT_LAYERS;
        b.heads = EncoderConfig.DEFAULT_HEADS;
        b.innerSize = EncoderConfig.DEFAULT_INNER;
        b.maxLength = EncoderConfig.DEFAULT_MAX_LENGTH;
        b.hiddenDropout = preset.dropout();
        b.attentionDropout = preset.dropout();
        b.layerNormEps = EncoderConfig.DEFAULT_LAYER_NORM_EPS;
        b.initStd = EncoderConfig.DEFAULT_INIT_STD;
        b.cropRatio = DEFAULT_CROP_RATIO;
        b.maskRatio = DEFAULT_MASK_RATIO;
        b.reorderRatio = DEFAULT_REORDER_RATIO;
        b.objective = new ObjectiveWeights(lambda, preset.beta(), DEFAULT_TEMPERATURE,
                ObjectiveWeights.DEFAULT_REGULARIZER_WEIGHT, true, false);
        b.patience = DEFAULT_PATIENCE;
        b.seed = DEFAULT_SEED;
        b.batching = Batching.UNIFORM;
        b.bucketBatches = DEFAULT_BUCKET_BATCHES;
        b.threads = defaultThreads();
        return b;
    }

    /** A builder holding these options, to derive others from them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.model = model;
        b.epochs = epochs;
        b.timeLimitSeconds = timeLimitSeconds;
        b.batchSize = batchSize;
        b.learningRate = learningRate;
        b.hiddenSize = hiddenSize;
        b.layers = layers;
        b.heads = heads;
        b.innerSize = innerSize;
        b.maxLength = maxLength;
        b.hiddenDropout = hiddenDropout;
        b.attentionDropout = attentionDropout;
        b.layerNormEps = layerNormEps;
        b.initStd = initStd;
        b.cropRatio = cropRatio;
        b.maskRatio = maskRatio;
        b.reorderRatio = reorderRatio;
        b.objective = objective;
        b.patience = patience;
        b.seed = seed;
        b.batching = batching;
        b.bucketBatches = bucketBatches;
        b.threads = threads;
        return b;
    }

    public EncoderConfig encoderConfig(int numItems) {
        return new EncoderConfig(numItems, hiddenSize, layers, heads, innerSize, maxLength, hiddenDropout,
                attentionDropout, layerNormEps, initStd);
    }

    /** Sets options by name; {@link #build()} validates them all at once. */
    public static final class Builder {
        private ModelKind model;
        private int epochs;
        private long timeLimitSeconds;
        private int batchSize;
        private double learningRate;
        private int hiddenSize;
        private int layers;
        private int heads;
        private int innerSize;
        private int maxLength;
        private double hiddenDropout;
        private double attentionDropout;
        private double layerNormEps;
        private double initStd;
        private double cropRatio;
        private double maskRatio;
        private double reorderRatio;
        private ObjectiveWeights objective;
        private int patience;
        private long seed;
        private Batching batching;
        private int bucketBatches;
        private int threads;

        private Builder() {
        }

        public Builder model(ModelKind value) {
            this.model = value;
            return this;
        }

        public Builder epochs(int value) {
            this.epochs = value;
            return this;
        }

        /** @param value null for no limit; otherwise positive, rounded up to whole seconds */
        public Builder timeLimit(Duration value) {
            if (value != null && (value.isNegative() || value.isZero())) {
                throw new IllegalArgumentException("--time-limit must be positive, got "
                        + value.toString().substring(2).toLowerCase(Locale.ROOT));
            }
            this.timeLimitSeconds = value == null ? 0 : value.plusNanos(TimeUnit.SECONDS.toNanos(1) - 1).toSeconds();
            return this;
        }

        public Builder batchSize(int value) {
            this.batchSize = value;
            return this;
        }

        public Builder learningRate(double value) {
            this.learningRate = value;
            return this;
        }

        public Builder hiddenSize(int value) {
            this.hiddenSize = value;
            return this;
        }

        public Builder layers(int value) {
            this.layers = value;
            return this;
        }

        public Builder heads(int value) {
            this.heads = value;
            return this;
        }

        public Builder innerSize(int value) {
            this.innerSize = value;
            return this;
        }

        public Builder maxLength(int value) {
            this.maxLength = value;
            return this;
        }

        public Builder hiddenDropout(double value) {
            this.hiddenDropout = value;
            return this;
        }

        public Builder attentionDropout(double value) {
            this.attentionDropout = value;
            return this;
        }

        public Builder layerNormEps(double value) {
            this.layerNormEps = value;
            return this;
        }

        public Builder initStd(double value) {
            this.initStd = value;
            return this;
        }

        public Builder cropRatio(double value) {
            this.cropRatio = value;
            return this;
        }

        public Builder maskRatio(double value) {
            this.maskRatio = value;
            return this;
        }

        public Builder reorderRatio(double value) {
            this.reorderRatio = value;
            return this;
        }

        public Builder objective(ObjectiveWeights value) {
            this.objective = value;
            return this;
        }

        public Builder patience(int value) {
            this.patience = value;
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder batching(Batching value) {
            this.batching = value;
            return this;
        }

        public Builder bucketBatches(int value) {
            this.bucketBatches = value;
            return this;
        }

        public Builder threads(int value) {
            this.threads = value;
            return this;
        }

        public TrainingOptions build() {
            return new TrainingOptions(model, epochs, timeLimitSeconds, batchSize, learningRate, hiddenSize, layers,
                    heads, innerSize, maxLength, hiddenDropout, attentionDropout, layerNormEps, initStd, cropRatio,
                    maskRatio, reorderRatio, objective, patience, seed, batching, bucketBatches, threads);
        }
    }
}
