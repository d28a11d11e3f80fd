package dev.seqrec.trainer.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The SASRec encoder (spec section 4.3) as a SameDiff sub-graph; the one forward pass used for training, evaluation
 * and imported weights. Its inputs are placeholders filled by {@link SequenceBatch#placeholders}: the embedded tokens
 * (looked up eagerly, see {@link SequenceBatch#embedded}), the additive attention mask, the one-hot last position and
 * runtime shapes (batches are trimmed to their own width, so shapes change per batch). Dropout masks are
 * placeholders too, present only in training graphs.
 */
public final class EncoderGraph {
    public static final String EMBEDDED = "in.embedded";
    public static final String ATTENTION_MASK = "in.attention_mask";
    public static final String LAST_POSITION = "in.last_position";
    public static final String SHAPE_HEADS = "in.shape_heads";
    public static final String SHAPE_SEQUENCE = "in.shape_sequence";
    public static final String DROP_INPUT = "in.drop.input";

    private static final double GELU_SCALE = 1.0 / Math.sqrt(2.0);

    private final EncoderConfig config;
    private final boolean training;
    private final Map<String, SDVariable> weights = new LinkedHashMap<>();
    private final SDVariable output;

    /**
     * Declares the encoder's weights as variables of {@code sd} (sharing {@code values}' arrays, so in-place updates of
     * the arrays are seen by the graph) and builds h [B, d].
     */
    public EncoderGraph(SameDiff sd, EncoderConfig config, EncoderWeights values, boolean training) {
        this.config = config;
        this.training = training;
        values.tensors().forEach((name, array) -> weights.put(name, sd.var(name, array)));
        this.output = build(sd, values.itemEmbedding().dataType());
    }

    public static String dropAttention(int block) {
        return "in.drop.block" + block + ".attention";
    }

    public static String dropAttentionOutput(int block) {
        return "in.drop.block" + block + ".attention_out";
    }

    public static String dropFeedForward(int block) {
        return "in.drop.block" + block + ".feed_forward";
    }

    /** The sequence vectors h, [B, d]. */
    public SDVariable output() {
        return output;
    }

    /** The weight variables by canonical name (see {@link EncoderWeights#tensors()}). */
    public Map<String, SDVariable> weights() {
        return weights;
    }

    public SDVariable itemEmbedding() {
        return weights.get(EncoderWeights.ITEM_EMBEDDING);
    }

    private SDVariable build(SameDiff sd, DataType type) {
        int d = config.hiddenSize();
        SDVariable embedded = sd.placeHolder(EMBEDDED, type, -1, d);
        SDVariable mask = sd.placeHolder(ATTENTION_MASK, type, -1, config.heads(), -1, -1);
        SDVariable last = sd.placeHolder(LAST_POSITION, type, -1, -1, 1);
        SDVariable headShape = sd.placeHolder(SHAPE_HEADS, DataType.INT64, 4);
        SDVariable sequenceShape = sd.placeHolder(SHAPE_SEQUENCE, DataType.INT64, 3);

        SDVariable x = layerNorm(sd, embedded, EncoderWeights.INPUT_NORM_GAIN, EncoderWeights.INPUT_NORM_BIAS);
        x = dropout(sd, x, DROP_INPUT, type, -1, d);
        double scale = 1.0 / Math.sqrt(config.headSize());
        for (int l = 0; l < config.layers(); l++) {
            SDVariable q = heads(sd, linear(x, l, "wq", "bq"), headShape);
            SDVariable k = heads(sd, linear(x, l, "wk", "bk"), headShape);
            SDVariable v = heads(sd, linear(x, l, "wv", "bv"), headShape);
            SDVariable scores = sd.mmul(q, k, false, true, false).mul(scale).add(mask);
            SDVariable attention = sd.nn().softmax(scores, -1);
            attention = dropout(sd, attention, dropAttention(l), type, -1, config.heads(), -1, -1);
            SDVariable context = sd.mmul(attention, v).permute(0, 2, 1, 3).reshape(-1, d);
            SDVariable a = dropout(sd, linear(context, l, "wo", "bo"), dropAttentionOutput(l), type, -1, d);
            x = layerNorm(sd, x.add(a), block(l, "attention_norm.gain"), block(l, "attention_norm.bias"));
            SDVariable f = linear(gelu(linear(x, l, "w1", "b1")), l, "w2", "b2");
            f = dropout(sd, f, dropFeedForward(l), type, -1, d);
            x = layerNorm(sd, x.add(f), block(l, "feed_forward_norm.gain"), block(l, "feed_forward_norm.bias"));
        }
        // h = x at column len-1; a one-hot multiply, since views (slices) break SameDiff's backward pass.
        return sd.reshape(x, sequenceShape).mul(last).sum(1);
    }

    private static String block(int l, String tensor) {
        return EncoderWeights.blockTensor(l, tensor);
    }

    private SDVariable linear(SDVariable x, int l, String weight, String bias) {
        return x.mmul(weights.get(block(l, weight))).add(weights.get(block(l, bias)));
    }

    /** [B*T, d] -> [B, heads, T, headSize]. */
    private static SDVariable heads(SameDiff sd, SDVariable x, SDVariable headShape) {
        return sd.reshape(x, headShape).permute(0, 2, 1, 3);
    }

    /** Exact GELU, x/2 (1 + erf(x / sqrt 2)); ND4J's gelu ops are approximations. */
    private static SDVariable gelu(SDVariable x) {
        return x.mul(0.5).mul(x.getSameDiff().math().erf(x.mul(GELU_SCALE)).add(1.0));
    }

    /** Layer norm over the last axis with the configured epsilon (ND4J's op has its own fixed epsilon). */
    private SDVariable layerNorm(SameDiff sd, SDVariable x, String gain, String bias) {
        SDVariable centred = x.sub(x.mean(true, 1));
        SDVariable variance = centred.mul(centred).mean(true, 1);
        SDVariable normalised = centred.div(sd.math().sqrt(variance.add(config.layerNormEps())));
        return normalised.mul(weights.get(gain)).add(weights.get(bias));
    }

    private SDVariable dropout(SameDiff sd, SDVariable x, String maskName, DataType type, long... shape) {
        if (!training) {
            return x;
        }
        return x.mul(sd.placeHolder(maskName, type, shape));
    }
}
