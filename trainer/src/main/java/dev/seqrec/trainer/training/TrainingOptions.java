package dev.seqrec.trainer.training;

import dev.seqrec.trainer.checkpoint.ModelKind;
import dev.seqrec.trainer.model.EncoderConfig;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
 * @param objective         loss weights; a model that does not read one holds it at its neutral value
 * @param patience          stop after this many epochs in a row without a strictly better validation metric
 * @param validMetric       the validation metric, rounded to 4 decimals, that keeps an epoch and counts patience:
 *                          hr, ndcg or mrr at 5, 10, 20 or 50 (the spec's mrr@10 by default)
 * @param seed              fixes initialisation, shuffling, augmentation and dropout
 * @param batching          how samples are cut into batches
 * @param bucketBatches     batches per length-sorting window ({@link Batching#LENGTH_BUCKETS}); uniform batching does
 *                          not read it and takes only the default
 * @param threads           ND4J and BLAS threads, see {@link #defaultThreads()}; they change the rounding of sums,
 *                          so a run resumed on another count can differ from an uninterrupted one
 */
public record TrainingOptions(ModelKind model, int epochs, long timeLimitSeconds, int batchSize, double learningRate,
                              int hiddenSize, int layers, int heads, int innerSize, int maxLength,
                              double hiddenDropout, double attentionDropout, double layerNormEps, double initStd,
                              double cropRatio, double maskRatio, double reorderRatio, ObjectiveWeights objective,
                              int patience, String validMetric, long seed, Batching batching, int bucketBatches,
                              int threads) {
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
    /** The spec's selection criterion (section 9.1). */
    public static final String DEFAULT_VALID_METRIC = "mrr@10";
    /** What validation computes: every metric at these cutoffs (see EvaluationOptions' defaults). */
    private static final Pattern VALID_METRICS = Pattern.compile("(hr|ndcg|mrr)@(5|10|20|50)");
    public static final long DEFAULT_SEED = 2020;
    public static final int DEFAULT_BUCKET_BATCHES = 64;
    private static final String MCLREC_LABEL = ModelKind.MCLREC.label();
    private static final String CONTRASTIVE_MODELS = ModelKind.CL4SREC.label() + " and " + ModelKind.MCLREC.label();
    /** Recorded names (see {@link #unreadBy}) of the options only MCLRec reads. */
    private static final Set<String> MCLREC_ONLY = Set.of("objective.beta", "objective.regularizerWeight",
            "objective.useRegularizer", "objective.joint");
    /** Recorded names of the options only the contrastive models, CL4SRec and MCLRec, read. */
    private static final Set<String> CONTRASTIVE_ONLY = Set.of("objective.lambda", "objective.temperature",
            "cropRatio", "maskRatio", "reorderRatio");

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
        // Infinity and NaN pass a sign check, then turn the weights into NaN during the first epoch
        require(Double.isFinite(learningRate) && learningRate > 0, "--lr must be finite and > 0, got " + learningRate);
        // EncoderConfig checks the sizes too, but only once the data is read and without the options' names
        require(hiddenSize >= 1, "--hidden-size must be >= 1, got " + hiddenSize);
        require(layers >= 1, "--layers must be >= 1, got " + layers);
        require(heads >= 1 && hiddenSize % heads == 0,
                "--heads must divide --hidden-size " + hiddenSize + ", got " + heads);
        require(innerSize >= 1, "--inner-size must be >= 1, got " + innerSize);
        require(maxLength >= 1, "--max-length must be >= 1, got " + maxLength);
        require(hiddenDropout >= 0 && hiddenDropout < 1, "--hidden-dropout must be in [0, 1), got " + hiddenDropout);
        require(attentionDropout >= 0 && attentionDropout < 1, "--attention-dropout must be in [0, 1), got " + attentionDropout);
        require(Double.isFinite(layerNormEps) && layerNormEps >= 0,
                "--layer-norm-eps must be finite and >= 0, got " + layerNormEps);
        require(Double.isFinite(initStd) && initStd > 0, "--init-std must be finite and > 0, got " + initStd);
        require(cropRatio >= 0 && cropRatio < 1, "--crop-ratio must be in [0, 1), got " + cropRatio);
        require(maskRatio >= 0 && maskRatio < 1, "--mask-ratio must be in [0, 1), got " + maskRatio);
        require(reorderRatio >= 0 && reorderRatio <= 1, "--reorder-ratio must be in [0, 1], got " + reorderRatio);
        require(Double.isFinite(objective.temperature()) && objective.temperature() > 0,
                "--temperature must be finite and > 0, got " + objective.temperature());
        require(Double.isFinite(objective.lambda()) && objective.lambda() >= 0,
                "--lambda must be finite and >= 0, got " + objective.lambda());
        require(Double.isFinite(objective.beta()) && objective.beta() >= 0,
                "--beta must be finite and >= 0, got " + objective.beta());
        require(Double.isFinite(objective.regularizerWeight()) && objective.regularizerWeight() >= 0,
                "--regularizer-weight must be finite and >= 0, got " + objective.regularizerWeight());
        require(patience >= 0, "--patience must be >= 0, got " + patience);
        require(validMetric != null && VALID_METRICS.matcher(validMetric).matches(),
                "--valid-metric must be hr, ndcg or mrr at 5, 10, 20 or 50 (such as mrr@10), got " + validMetric);
        require(bucketBatches >= 1, "--bucket-batches must be >= 1, got " + bucketBatches);
        // a window of batchSize x bucketBatches samples is sorted as one array
        require(batching != Batching.LENGTH_BUCKETS || (long) batchSize * bucketBatches <= Integer.MAX_VALUE,
                "--bucket-batches " + bucketBatches + " times --batch-size " + batchSize + " is more than "
                        + Integer.MAX_VALUE + " samples per length-sorting window");
        require(threads >= 1, "--threads must be >= 1, got " + threads);
        if (model == ModelKind.MCLREC && hiddenSize != EncoderConfig.DEFAULT_HIDDEN) {
            throw new IllegalArgumentException("MCLRec's augmenters are fixed at 64-32-16-64, so --hidden-size must be 64");
        }
        // An option the model does not read would be ignored, yet recorded in the run's provenance as if it had
        // shaped the run: only its neutral value is accepted
        requireUnread(batching != Batching.UNIFORM || bucketBatches == DEFAULT_BUCKET_BATCHES, "--bucket-batches",
                bucketBatches, "--batching " + Batching.UNIFORM.label(), Batching.LENGTH_BUCKETS.label() + " batching");
        if (model == ModelKind.MCLREC) {
            requireUnread(objective.useRegularizer()
                            || objective.regularizerWeight() == ObjectiveWeights.DEFAULT_REGULARIZER_WEIGHT,
                    "--regularizer-weight", objective.regularizerWeight(), "--no-regularizer", "the regulariser R");
        }
        if (model != ModelKind.MCLREC) {
            requireUnread(objective.beta() == 0, "--beta", objective.beta(), model, MCLREC_LABEL);
            requireUnread(objective.regularizerWeight() == ObjectiveWeights.DEFAULT_REGULARIZER_WEIGHT,
                    "--regularizer-weight", objective.regularizerWeight(), model, MCLREC_LABEL);
            requireUnread(objective.useRegularizer(), "--no-regularizer", null, model, MCLREC_LABEL);
            requireUnread(!objective.joint(), "--joint", null, model, MCLREC_LABEL);
        }
        if (model == ModelKind.SASREC) {
            requireUnread(objective.lambda() == 0, "--lambda", objective.lambda(), model, CONTRASTIVE_MODELS);
            requireUnread(objective.temperature() == DEFAULT_TEMPERATURE, "--temperature", objective.temperature(),
                    model, CONTRASTIVE_MODELS);
            requireUnread(cropRatio == DEFAULT_CROP_RATIO, "--crop-ratio", cropRatio, model, CONTRASTIVE_MODELS);
            requireUnread(maskRatio == DEFAULT_MASK_RATIO, "--mask-ratio", maskRatio, model, CONTRASTIVE_MODELS);
            requireUnread(reorderRatio == DEFAULT_REORDER_RATIO, "--reorder-ratio", reorderRatio, model,
                    CONTRASTIVE_MODELS);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** @param value what was given, null for a flag */
    private static void requireUnread(boolean neutral, String option, Object value, ModelKind model, String readers) {
        requireUnread(neutral, option, value, model.label(), readers);
    }

    /**
     * @param value   what was given, null for a flag
     * @param ignorer what would ignore it: a model, or another option
     * @param readers what reads it
     */
    private static void requireUnread(boolean neutral, String option, Object value, String ignorer, String readers) {
        require(neutral, option + (value == null ? "" : " " + value) + " is only read by " + readers + "; "
                + ignorer + " would ignore it");
    }

    /**
     * The options, as a run's provenance names them, that {@code model} does not read: a run recorded before such
     * options were refused may hold any value there, which a resume need not match.
     */
    static Set<String> unreadBy(ModelKind model) {
        return switch (model) {
            case SASREC -> Stream.concat(MCLREC_ONLY.stream(), CONTRASTIVE_ONLY.stream()).collect(Collectors.toSet());
            case CL4SREC -> MCLREC_ONLY;
            case MCLREC -> Set.of();
        };
    }

    /**
     * {@link #unreadBy(ModelKind)} for these options' model, and the options that other options switch off:
     * {@code bucketBatches} under uniform batching, {@code objective.regularizerWeight} without the regulariser.
     */
    Set<String> unread() {
        Set<String> unread = new HashSet<>(unreadBy(model));
        if (batching == Batching.UNIFORM) {
            unread.add("bucketBatches");
        }
        if (!objective.useRegularizer()) {
            unread.add("objective.regularizerWeight");
        }
        return unread;
    }

    /** The spec's settings for {@code model} with a dataset preset's weights. */
    public static TrainingOptions defaults(ModelKind model, DatasetPreset preset) {
        return builder(model, preset).build();
    }

    /** A builder starting from {@link #defaults}: set what differs, by name. */
    public static Builder builder(ModelKind model, DatasetPreset preset) {
        // a model that does not read lambda or beta gets 0, the value its options must hold
        double lambda = switch (model) {
            case SASREC -> 0;
            case CL4SREC -> preset.lambda() == 0 ? DEFAULT_CL4SREC_LAMBDA : preset.lambda();
            case MCLREC -> preset.lambda();
        };
        double beta = model == ModelKind.MCLREC ? preset.beta() : 0;
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
        b.objective = new ObjectiveWeights(lambda, beta, DEFAULT_TEMPERATURE,
                ObjectiveWeights.DEFAULT_REGULARIZER_WEIGHT, true, false);
        b.patience = DEFAULT_PATIENCE;
        b.validMetric = DEFAULT_VALID_METRIC;
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
        b.validMetric = validMetric;
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
        private String validMetric;
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

        public Builder validMetric(String value) {
            this.validMetric = value;
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
                    maskRatio, reorderRatio, objective, patience, validMetric, seed, batching, bucketBatches,
                    threads);
        }
    }
}
