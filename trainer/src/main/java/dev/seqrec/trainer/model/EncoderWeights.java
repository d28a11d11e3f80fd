package dev.seqrec.trainer.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every trained tensor of the SASRec encoder, in seqrec's convention: linear weights are [in, out], so
 * y = x W + b (the transpose of PyTorch's). Float32. This is what checkpoints hold and what serving reads.
 *
 * @param itemEmbedding     [N + 1, d]; row 0 = padding; also the tied output layer
 * @param positionEmbedding [L, d]
 * @param inputNormGain     [d]
 * @param inputNormBias     [d]
 * @param blocks            one per transformer block, in order
 */
public record EncoderWeights(INDArray itemEmbedding, INDArray positionEmbedding, INDArray inputNormGain,
                             INDArray inputNormBias, List<Block> blocks) {

    public static final String ITEM_EMBEDDING = "item_embedding";
    public static final String POSITION_EMBEDDING = "position_embedding";
    public static final String INPUT_NORM_GAIN = "input_norm.gain";
    public static final String INPUT_NORM_BIAS = "input_norm.bias";
    /** Names of a block's tensors, in {@link Block}'s component order; prefixed with "block{i}.". */
    public static final List<String> BLOCK_TENSORS = List.of("wq", "bq", "wk", "bk", "wv", "bv", "wo", "bo",
            "attention_norm.gain", "attention_norm.bias", "w1", "b1", "w2", "b2",
            "feed_forward_norm.gain", "feed_forward_norm.bias");

    /**
     * One post-LayerNorm transformer block.
     * wq, wk, wv, wo: [d, d]; w1: [d, inner]; w2: [inner, d]; biases and layer-norm vectors: [width].
     */
    public record Block(INDArray wq, INDArray bq, INDArray wk, INDArray bk, INDArray wv, INDArray bv,
                        INDArray wo, INDArray bo, INDArray attentionNormGain, INDArray attentionNormBias,
                        INDArray w1, INDArray b1, INDArray w2, INDArray b2,
                        INDArray feedForwardNormGain, INDArray feedForwardNormBias) {

        List<INDArray> tensors() {
            return List.of(wq, bq, wk, bk, wv, bv, wo, bo, attentionNormGain, attentionNormBias,
                    w1, b1, w2, b2, feedForwardNormGain, feedForwardNormBias);
        }

        static Block of(List<INDArray> t) {
            return new Block(t.get(0), t.get(1), t.get(2), t.get(3), t.get(4), t.get(5), t.get(6), t.get(7),
                    t.get(8), t.get(9), t.get(10), t.get(11), t.get(12), t.get(13), t.get(14), t.get(15));
        }
    }

    public static String blockTensor(int block, String tensor) {
        return "block" + block + "." + tensor;
    }

    /** Every tensor by its canonical name (the checkpoint's file names and the graphs' variable names), in a fixed order. */
    public Map<String, INDArray> tensors() {
        Map<String, INDArray> named = new LinkedHashMap<>();
        named.put(ITEM_EMBEDDING, itemEmbedding);
        named.put(POSITION_EMBEDDING, positionEmbedding);
        named.put(INPUT_NORM_GAIN, inputNormGain);
        named.put(INPUT_NORM_BIAS, inputNormBias);
        for (int i = 0; i < blocks.size(); i++) {
            List<INDArray> tensors = blocks.get(i).tensors();
            for (int j = 0; j < BLOCK_TENSORS.size(); j++) {
                named.put(blockTensor(i, BLOCK_TENSORS.get(j)), tensors.get(j));
            }
        }
        return named;
    }

    /** The shape every tensor must have for {@code config}, by canonical name. */
    public static Map<String, long[]> expectedShapes(EncoderConfig config) {
        long d = config.hiddenSize();
        long inner = config.innerSize();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put(ITEM_EMBEDDING, new long[] {config.numItems() + 1L, d});
        shapes.put(POSITION_EMBEDDING, new long[] {config.maxLength(), d});
        shapes.put(INPUT_NORM_GAIN, new long[] {d});
        shapes.put(INPUT_NORM_BIAS, new long[] {d});
        List<long[]> block = List.of(new long[] {d, d}, new long[] {d}, new long[] {d, d}, new long[] {d},
                new long[] {d, d}, new long[] {d}, new long[] {d, d}, new long[] {d}, new long[] {d}, new long[] {d},
                new long[] {d, inner}, new long[] {inner}, new long[] {inner, d}, new long[] {d},
                new long[] {d}, new long[] {d});
        for (int i = 0; i < config.layers(); i++) {
            for (int j = 0; j < BLOCK_TENSORS.size(); j++) {
                shapes.put(blockTensor(i, BLOCK_TENSORS.get(j)), block.get(j));
            }
        }
        return shapes;
    }

    /**
     * Weights from named tensors; every expected name must be present with the expected shape.
     *
     * @throws IllegalArgumentException naming the first missing, unexpected or mis-shaped tensor
     */
    public static EncoderWeights fromTensors(EncoderConfig config, Map<String, INDArray> tensors) {
        Map<String, long[]> expected = expectedShapes(config);
        for (String name : tensors.keySet()) {
            if (!expected.containsKey(name)) {
                throw new IllegalArgumentException("unexpected tensor '" + name + "'");
            }
        }
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            INDArray t = tensors.get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException("missing tensor '" + e.getKey() + "'");
            }
            if (!java.util.Arrays.equals(t.shape(), e.getValue())) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' has shape "
                        + java.util.Arrays.toString(t.shape()) + ", expected " + java.util.Arrays.toString(e.getValue()));
            }
        }
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < config.layers(); i++) {
            List<INDArray> t = new ArrayList<>();
            for (String name : BLOCK_TENSORS) {
                t.add(tensors.get(blockTensor(i, name)));
            }
            blocks.add(Block.of(t));
        }
        return new EncoderWeights(tensors.get(ITEM_EMBEDDING), tensors.get(POSITION_EMBEDDING),
                tensors.get(INPUT_NORM_GAIN), tensors.get(INPUT_NORM_BIAS), List.copyOf(blocks));
    }

    /**
     * The spec's initialisation (section 4.2): every linear weight and both tables ~ Normal(0, initStd), padding row
     * included; biases 0; layer-norm gains 1, biases 0.
     */
    public static EncoderWeights initialise(EncoderConfig config, long seed, DataType dataType) {
        Nd4j.getRandom().setSeed(seed);
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : expectedShapes(config).entrySet()) {
            String name = e.getKey();
            INDArray t;
            if (name.endsWith(".gain")) {
                t = Nd4j.ones(dataType, e.getValue());
            } else if (e.getValue().length == 2) {
                t = Nd4j.randn(dataType, e.getValue()).muli(config.initStd());
            } else {
                t = Nd4j.zeros(dataType, e.getValue());
            }
            tensors.put(name, t);
        }
        return fromTensors(config, tensors);
    }

    /** A deep copy, in {@code dataType}. */
    public EncoderWeights copy(EncoderConfig config, DataType dataType) {
        Map<String, INDArray> copies = new LinkedHashMap<>();
        tensors().forEach((name, t) -> copies.put(name, t.castTo(dataType).dup()));
        return fromTensors(config, copies);
    }
}
