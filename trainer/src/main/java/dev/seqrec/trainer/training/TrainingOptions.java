package dev.seqrec.trainer.training;

import dev.seqrec.trainer.checkpoint.ModelKind;
import dev.seqrec.trainer.model.EncoderConfig;
import java.time.Duration;

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
 * @param threads           ND4J threads
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
        double lambda = model == ModelKind.CL4SREC && preset.lambda() == 0 ? DEFAULT_CL4SREC_LAMBDA : preset.lambda();
        return new TrainingOptions(model, DEFAULT_EPOCHS, 0, DEFAULT_BATCH_SIZE, DEFAULT_LEARNING_RATE,
                EncoderConfig.DEFAULT_HIDDEN, EncoderConfig.DEFAULT_LAYERS, EncoderConfig.DEFAULT_HEADS,
                EncoderConfig.DEFAULT_INNER, EncoderConfig.DEFAULT_MAX_LENGTH, preset.dropout(), preset.dropout(),
                EncoderConfig.DEFAULT_LAYER_NORM_EPS, EncoderConfig.DEFAULT_INIT_STD, DEFAULT_CROP_RATIO,
                DEFAULT_MASK_RATIO, DEFAULT_REORDER_RATIO,
                new ObjectiveWeights(lambda, preset.beta(), DEFAULT_TEMPERATURE,
                        ObjectiveWeights.DEFAULT_REGULARIZER_WEIGHT, true, false),
                DEFAULT_PATIENCE, DEFAULT_SEED, Batching.LENGTH_BUCKETS, DEFAULT_BUCKET_BATCHES,
                Runtime.getRuntime().availableProcessors());
    }

    public EncoderConfig encoderConfig(int numItems) {
        return new EncoderConfig(numItems, hiddenSize, layers, heads, innerSize, maxLength, hiddenDropout,
                attentionDropout, layerNormEps, initStd);
    }

    public TrainingOptions withEpochs(int value) {
        return new TrainingOptions(model, value, timeLimitSeconds, batchSize, learningRate, hiddenSize, layers, heads, innerSize,
                maxLength, hiddenDropout, attentionDropout, layerNormEps, initStd, cropRatio, maskRatio, reorderRatio,
                objective, patience, seed, batching, bucketBatches, threads);
    }

    /** @param value null for no limit */
    public TrainingOptions withTimeLimit(Duration value) {
        return new TrainingOptions(model, epochs, value == null ? 0 : Math.max(1, value.toSeconds()), batchSize, learningRate, hiddenSize, layers, heads, innerSize,
                maxLength, hiddenDropout, attentionDropout, layerNormEps, initStd, cropRatio, maskRatio, reorderRatio,
                objective, patience, seed, batching, bucketBatches, threads);
    }

    public TrainingOptions withBatching(Batching value) {
        return new TrainingOptions(model, epochs, timeLimitSeconds, batchSize, learningRate, hiddenSize, layers, heads, innerSize,
                maxLength, hiddenDropout, attentionDropout, layerNormEps, initStd, cropRatio, maskRatio, reorderRatio,
                objective, patience, seed, value, bucketBatches, threads);
    }

    public TrainingOptions withObjective(ObjectiveWeights value) {
        return new TrainingOptions(model, epochs, timeLimitSeconds, batchSize, learningRate, hiddenSize, layers, heads, innerSize,
                maxLength, hiddenDropout, attentionDropout, layerNormEps, initStd, cropRatio, maskRatio, reorderRatio,
                value, patience, seed, batching, bucketBatches, threads);
    }
}
