package dev.seqrec.recommender.model;

import dev.seqrec.eval.ErrorFunction;
import dev.seqrec.trainer.model.EncoderConfig;
import dev.seqrec.trainer.model.EncoderWeights;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The SASRec encoder's inference pass (mclrec-spec.md section 4.3, no dropout) over plain float arrays, one history
 * at a time: a request encodes one short history, where the trainer's batched ND4J pass would spend more on per-op
 * dispatch than on arithmetic. {@code TrainerEquivalenceTest} keeps the two passes equal.
 *
 * <p>With right padding and a causal mask, no real position ever attends to a padding position, so the pass only
 * computes the real positions; the result equals the padded computation (a -10000 masked logit underflows to an
 * exact zero weight). The last block only needs the last position's row, which saves most of its work.
 *
 * <p>Immutable and thread-safe: each call allocates its own small activation buffers.
 */
public final class EagerSasrecEncoder {
    private static final double SQRT_HALF = Math.sqrt(0.5);

    private final int hidden;
    private final int heads;
    private final int headSize;
    private final int inner;
    private final int maxLength;
    private final double layerNormEps;
    private final float[] itemTable;       // [N + 1][d], row-major
    private final float[] positionTable;   // [L][d]
    private final float[] inputNormGain;
    private final float[] inputNormBias;
    private final Block[] blocks;

    private record Block(float[] wq, float[] bq, float[] wk, float[] bk, float[] wv, float[] bv, float[] wo,
                         float[] bo, float[] attentionNormGain, float[] attentionNormBias, float[] w1, float[] b1,
                         float[] w2, float[] b2, float[] feedForwardNormGain, float[] feedForwardNormBias) {
    }

    public EagerSasrecEncoder(EncoderConfig config, EncoderWeights weights) {
        this.hidden = config.hiddenSize();
        this.heads = config.heads();
        this.headSize = config.headSize();
        this.inner = config.innerSize();
        this.maxLength = config.maxLength();
        this.layerNormEps = config.layerNormEps();
        int d = hidden;
        this.itemTable = flat(weights.itemEmbedding(), "itemEmbedding", config.numItems() + 1, d);
        this.positionTable = flat(weights.positionEmbedding(), "positionEmbedding", maxLength, d);
        this.inputNormGain = flat(weights.inputNormGain(), "inputNormGain", d);
        this.inputNormBias = flat(weights.inputNormBias(), "inputNormBias", d);
        List<EncoderWeights.Block> source = weights.blocks();
        if (source.size() != config.layers()) {
            throw new IllegalArgumentException("config has " + config.layers() + " blocks but weights have " + source.size());
        }
        this.blocks = new Block[source.size()];
        for (int i = 0; i < blocks.length; i++) {
            EncoderWeights.Block b = source.get(i);
            String p = "blocks[" + i + "].";
            blocks[i] = new Block(
                    flat(b.wq(), p + "wq", d, d), flat(b.bq(), p + "bq", d),
                    flat(b.wk(), p + "wk", d, d), flat(b.bk(), p + "bk", d),
                    flat(b.wv(), p + "wv", d, d), flat(b.bv(), p + "bv", d),
                    flat(b.wo(), p + "wo", d, d), flat(b.bo(), p + "bo", d),
                    flat(b.attentionNormGain(), p + "attentionNormGain", d),
                    flat(b.attentionNormBias(), p + "attentionNormBias", d),
                    flat(b.w1(), p + "w1", d, inner), flat(b.b1(), p + "b1", inner),
                    flat(b.w2(), p + "w2", inner, d), flat(b.b2(), p + "b2", d),
                    flat(b.feedForwardNormGain(), p + "feedForwardNormGain", d),
                    flat(b.feedForwardNormBias(), p + "feedForwardNormBias", d));
        }
    }

    public int maxLength() {
        return maxLength;
    }

    /** The item table [N + 1][d] row-major (row 0 = padding); shared, callers must not modify it. */
    float[] itemTable() {
        return itemTable;
    }

    /**
     * The sequence vector h of a history: the last block's output at the last position.
     *
     * @param history dense item ids 1..N, oldest first, non-empty; only the last {@link #maxLength()} are read
     */
    public float[] encode(int[] history) {
        if (history.length == 0) {
            throw new IllegalArgumentException("cannot encode an empty history");
        }
        int start = Math.max(0, history.length - maxLength);
        int n = history.length - start;
        int d = hidden;
        float[] x = new float[n * d];
        for (int t = 0; t < n; t++) {
            int item = history[start + t];
            System.arraycopy(itemTable, item * d, x, t * d, d);
            for (int c = 0; c < d; c++) {
                x[t * d + c] += positionTable[t * d + c];
            }
            layerNorm(x, t * d, inputNormGain, inputNormBias);
        }
        for (int layer = 0; layer < blocks.length; layer++) {
            boolean last = layer == blocks.length - 1;
            x = block(blocks[layer], x, n, last ? n - 1 : 0);
        }
        float[] h = new float[d];
        System.arraycopy(x, x.length - d, h, 0, d);
        return h;
    }

    /** One post-LN block over positions 0..n-1; outputs rows firstOut..n-1 only (keys and values use all rows). */
    private float[] block(Block b, float[] x, int n, int firstOut) {
        int d = hidden;
        int rows = n - firstOut;
        float[] k = linear(x, n, d, b.wk, b.bk, d);
        float[] v = linear(x, n, d, b.wv, b.bv, d);
        float[] xOut = new float[rows * d];
        System.arraycopy(x, firstOut * d, xOut, 0, rows * d);
        float[] q = linear(xOut, rows, d, b.wq, b.bq, d);
        float[] context = new float[rows * d];
        double scale = 1.0 / Math.sqrt(headSize);
        double[] weights = new double[n];
        for (int r = 0; r < rows; r++) {
            int i = firstOut + r;
            for (int head = 0; head < heads; head++) {
                int off = head * headSize;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j <= i; j++) {
                    double dot = 0;
                    for (int c = 0; c < headSize; c++) {
                        dot += q[r * d + off + c] * k[j * d + off + c];
                    }
                    weights[j] = dot * scale;
                    max = Math.max(max, weights[j]);
                }
                double sum = 0;
                for (int j = 0; j <= i; j++) {
                    weights[j] = Math.exp(weights[j] - max);
                    sum += weights[j];
                }
                for (int c = 0; c < headSize; c++) {
                    double acc = 0;
                    for (int j = 0; j <= i; j++) {
                        acc += weights[j] * v[j * d + off + c];
                    }
                    context[r * d + off + c] = (float) (acc / sum);
                }
            }
        }
        float[] attended = linear(context, rows, d, b.wo, b.bo, d);
        for (int i = 0; i < xOut.length; i++) {
            xOut[i] += attended[i];
        }
        for (int r = 0; r < rows; r++) {
            layerNorm(xOut, r * d, b.attentionNormGain, b.attentionNormBias);
        }
        float[] expanded = linear(xOut, rows, d, b.w1, b.b1, inner);
        for (int i = 0; i < expanded.length; i++) {
            expanded[i] = gelu(expanded[i]);
        }
        float[] fed = linear(expanded, rows, inner, b.w2, b.b2, d);
        for (int i = 0; i < xOut.length; i++) {
            xOut[i] += fed[i];
        }
        for (int r = 0; r < rows; r++) {
            layerNorm(xOut, r * d, b.feedForwardNormGain, b.feedForwardNormBias);
        }
        return xOut;
    }

    /**
     * y = x W + b for {@code rows} rows; W is [in][out] row-major, so the inner loop is an axpy over contiguous
     * outputs that the JIT vectorises. Four inputs per pass quarter the loads and stores of y.
     */
    private static float[] linear(float[] x, int rows, int in, float[] w, float[] bias, int out) {
        float[] y = new float[rows * out];
        for (int r = 0; r < rows; r++) {
            int yOff = r * out;
            int xOff = r * in;
            System.arraycopy(bias, 0, y, yOff, out);
            int i = 0;
            for (; i + 3 < in; i += 4) {
                float x0 = x[xOff + i];
                float x1 = x[xOff + i + 1];
                float x2 = x[xOff + i + 2];
                float x3 = x[xOff + i + 3];
                int w0 = i * out;
                int w1 = w0 + out;
                int w2 = w1 + out;
                int w3 = w2 + out;
                for (int o = 0; o < out; o++) {
                    y[yOff + o] += x0 * w[w0 + o] + x1 * w[w1 + o] + x2 * w[w2 + o] + x3 * w[w3 + o];
                }
            }
            for (; i < in; i++) {
                float xi = x[xOff + i];
                int wOff = i * out;
                for (int o = 0; o < out; o++) {
                    y[yOff + o] += xi * w[wOff + o];
                }
            }
        }
        return y;
    }

    private void layerNorm(float[] x, int off, float[] gain, float[] bias) {
        int d = hidden;
        double mean = 0;
        for (int c = 0; c < d; c++) {
            mean += x[off + c];
        }
        mean /= d;
        double variance = 0;
        for (int c = 0; c < d; c++) {
            double centred = x[off + c] - mean;
            variance += centred * centred;
        }
        variance /= d;
        double inv = 1.0 / Math.sqrt(variance + layerNormEps);
        for (int c = 0; c < d; c++) {
            x[off + c] = (float) ((x[off + c] - mean) * inv * gain[c] + bias[c]);
        }
    }

    /** Exact GELU, x/2 (1 + erf(x / sqrt 2)) = x/2 erfc(-x / sqrt 2). */
    static float gelu(float x) {
        return (float) (0.5 * x * ErrorFunction.erfc(-x * SQRT_HALF));
    }

    private static float[] flat(INDArray array, String name, long... shape) {
        if (array == null) {
            throw new IllegalArgumentException("weights lack " + name);
        }
        long expected = java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        boolean matches = shape.length == 1
                ? array.isVector() && array.length() == expected
                : java.util.Arrays.equals(array.shape(), shape);
        if (!matches) {
            throw new IllegalArgumentException(name + " has shape " + java.util.Arrays.toString(array.shape())
                    + ", expected " + java.util.Arrays.toString(shape));
        }
        float[] values = array.castTo(DataType.FLOAT).reshape('c', new long[] {expected}).toFloatVector();
        for (float value : values) {
            if (!Float.isFinite(value)) {
                throw new IllegalArgumentException(name + " holds a non-finite value");
            }
        }
        return values;
    }
}
