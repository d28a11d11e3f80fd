package dev.seqrec.trainer.model;

/**
 * Shape and regularisation of the SASRec encoder (mclrec-spec.md section 4.1).
 *
 * @param numItems             N; the item table has N + 1 rows, row 0 being padding
 * @param hiddenSize           d
 * @param layers               transformer blocks
 * @param heads                attention heads (hiddenSize must divide by it)
 * @param innerSize            feed-forward width
 * @param maxLength            L, the longest history the encoder reads (and the number of positions)
 * @param hiddenDropout        probability of dropping a hidden unit during training (PyTorch convention)
 * @param attentionDropout     probability of dropping an attention weight during training
 * @param layerNormEps         layer-norm epsilon
 * @param initStd              standard deviation of the Normal initialiser
 */
public record EncoderConfig(int numItems, int hiddenSize, int layers, int heads, int innerSize, int maxLength,
                            double hiddenDropout, double attentionDropout, double layerNormEps, double initStd) {

    public static final int DEFAULT_HIDDEN = 64;
    public static final int DEFAULT_LAYERS = 2;
    public static final int DEFAULT_HEADS = 2;
    public static final int DEFAULT_INNER = 256;
    public static final int DEFAULT_MAX_LENGTH = 50;
    public static final double DEFAULT_DROPOUT = 0.5;
    public static final double DEFAULT_LAYER_NORM_EPS = 1e-12;
    public static final double DEFAULT_INIT_STD = 0.02;

    public EncoderConfig {
        if (numItems < 1 || hiddenSize < 1 || layers < 1 || heads < 1 || innerSize < 1 || maxLength < 1) {
            throw new IllegalArgumentException("encoder sizes must be positive");
        }
        if (hiddenSize % heads != 0) {
            throw new IllegalArgumentException("hidden size " + hiddenSize + " is not divisible by " + heads + " heads");
        }
    }

    /** The spec's encoder for {@code numItems} items. */
    public static EncoderConfig defaults(int numItems) {
        return new EncoderConfig(numItems, DEFAULT_HIDDEN, DEFAULT_LAYERS, DEFAULT_HEADS, DEFAULT_INNER,
                DEFAULT_MAX_LENGTH, DEFAULT_DROPOUT, DEFAULT_DROPOUT, DEFAULT_LAYER_NORM_EPS, DEFAULT_INIT_STD);
    }

    public int headSize() {
        return hiddenSize / heads;
    }
}
