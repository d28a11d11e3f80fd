package dev.seqrec.trainer.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The SASRec encoder of spec section 4.3 with its backward pass, written with eager ND4J operations: the one forward
 * pass used for training, evaluation and imported weights. Eager operations cost microseconds each, where SameDiff
 * spends about a millisecond per graph op per execution (measured: a 2-layer step with a gradient took seconds even
 * for 3 tokens), which would dominate every step of this small model.
 *
 * <p>Layout: packed rows, each history's positions one history after another ({@link SequenceBatch#firstRow}),
 * [P, d] for the embeddings, layer norms, linear layers and {@link MaskedAttention}: padding is never computed. The
 * embedding lookup is an eager row gather; its gradient is a scatter-add, which leaves E[0] to the output layer
 * alone (spec 4.3).
 *
 * <p>Only h, each history's last row of the last block, is ever read (spec 4.3 step 4: losses and scores use that
 * row alone), so the last block computes keys and values for every position but queries, attention output,
 * feed-forward and layer norms for the last rows only: the same h and gradients for fewer FLOPs (about two thirds of
 * a full last block's on Beauty).
 */
public final class SasrecEncoder {
    /** Queries, keys and values: the tensor-name suffixes of their weights and biases, in slot order. */
    private static final String[] PROJECTION_NAMES = {"q", "k", "v"};
    private static final int PROJECTIONS = PROJECTION_NAMES.length;
    /** {@link HostBuffers} slots for adding the last rows' gradient into the positions'; free again once written. */
    private static final int POSITIONS_GRADIENT_SLOT = 0;
    private static final int ROWS_GRADIENT_SLOT = 1;

    private final EncoderConfig config;
    private final EncoderWeights weights;
    private final LayerNorm layerNorm;
    private final MaskedAttention attention;

    public SasrecEncoder(EncoderConfig config, EncoderWeights weights) {
        this.config = config;
        this.weights = weights;
        this.layerNorm = new LayerNorm(config.layerNormEps());
        this.attention = new MaskedAttention(config.heads(), config.headSize());
    }

    public EncoderConfig config() {
        return config;
    }

    public EncoderWeights weights() {
        return weights;
    }

    /** What the backward pass needs from the forward pass. */
    public static final class Activations {
        final SequenceBatch batch;
        final LayerNorm.Saved inputNorm;
        final DropoutMask inputDrop;
        final List<BlockActivations> blocks;
        /** Each history's last packed row. */
        final int[] lastRows;
        /** Sequence vectors h [B, d], in the batch's row order. */
        public final INDArray h;

        private Activations(SequenceBatch batch, LayerNorm.Saved inputNorm, DropoutMask inputDrop,
                            List<BlockActivations> blocks, int[] lastRows, INDArray h) {
            this.batch = batch;
            this.inputNorm = inputNorm;
            this.inputDrop = inputDrop;
            this.blocks = blocks;
            this.lastRows = lastRows;
            this.h = h;
        }
    }

    private static final class BlockActivations {
        /** Whether the block computes its queries and everything after them for the last rows only. */
        boolean lastRowsOnly;
        /** The block's input, every position [P, d]. */
        INDArray input;
        /** The input rows that get queries, the residual path's input: {@link #input} itself or its last rows [B, d]. */
        INDArray queryInput;
        /**
         * [Wq Wk Wv], [d, 3d]: one product for the three projections instead of three narrow ones; [Wk Wv], [d, 2d],
         * when the queries are the last rows' only.
         */
        INDArray projection;
        DropoutMask attentionDrop;
        MaskedAttention.Saved attention;
        INDArray context;
        DropoutMask outputDrop;
        LayerNorm.Saved attentionNorm;
        INDArray afterAttention;
        INDArray preActivation;
        /** Phi(preActivation), kept for GELU's derivative: erf is the costliest element-wise op of the step. */
        INDArray normalCdf;
        INDArray activated;
        DropoutMask feedForwardDrop;
        LayerNorm.Saved feedForwardNorm;
        /** The block's output: every position's row [P, d], or the last rows' [B, d]. */
        INDArray output;
    }

    /**
     * Runs the encoder over the batch's positions.
     *
     * @param dropout training-mode dropout masks, or null for evaluation
     */
    public Activations forward(SequenceBatch batch, DropoutMasks dropout) {
        if (batch.size() == 0) {
            throw new IllegalArgumentException("an empty batch has no sequence vectors to encode");
        }
        int b = batch.size();
        int d = config.hiddenSize();
        List<EncoderWeights.Block> blocks = weights.blocks();
        DropoutMask inputDrop = dropout == null
                ? null : dropout.mask(config.hiddenDropout(), (long) batch.positions() * d);
        LayerNorm.Output input = layerNorm.forward(batch.embedded(weights), null, null, weights.inputNormGain(),
                weights.inputNormBias(), inputDrop);
        INDArray x = input.y();
        int[] lastRows = new int[b];
        for (int i = 0; i < b; i++) {
            lastRows[i] = batch.firstRow(i + 1) - 1;
        }
        List<BlockActivations> activations = new ArrayList<>(blocks.size());
        for (int l = 0; l < blocks.size(); l++) {
            boolean last = l == blocks.size() - 1;
            BlockActivations a = forwardBlock(blocks.get(l), x, batch, last ? lastRows : null, dropout);
            x = a.output;
            activations.add(a);
        }
        return new Activations(batch, input.saved(), inputDrop, activations, lastRows, x);
    }

    /** One block over every position, or, with {@code lastRows}, its queries and what follows for those rows only. */
    private BlockActivations forwardBlock(EncoderWeights.Block w, INDArray x, SequenceBatch batch, int[] lastRows,
                                          DropoutMasks dropout) {
        int b = batch.size();
        int d = config.hiddenSize();
        BlockActivations a = new BlockActivations();
        a.lastRowsOnly = lastRows != null;
        a.input = x;
        long queryRows = a.lastRowsOnly ? b : batch.positions();
        a.attentionDrop = dropout == null
                ? null : dropout.mask(config.attentionDropout(), this.attention.weights(batch, a.lastRowsOnly));
        MaskedAttention.Output attention;
        if (a.lastRowsOnly) {
            a.queryInput = Nd4j.pullRows(x, 1, lastRows);
            a.projection = Nd4j.concat(1, w.wk(), w.wv());
            INDArray kv = linear(x, a.projection, Nd4j.concat(0, w.bk(), w.bv()));
            attention = this.attention.forwardLast(linear(a.queryInput, w.wq(), w.bq()), kv, batch, a.attentionDrop);
        } else {
            a.queryInput = x;
            a.projection = Nd4j.concat(1, w.wq(), w.wk(), w.wv());
            INDArray qkv = linear(x, a.projection, Nd4j.concat(0, w.bq(), w.bk(), w.bv()));
            attention = this.attention.forwardAll(qkv, batch, a.attentionDrop);
        }
        a.attention = attention.saved();
        a.context = attention.context();
        INDArray attended = linear(a.context, w.wo(), w.bo());
        a.outputDrop = dropout == null ? null : dropout.mask(config.hiddenDropout(), queryRows * d);
        LayerNorm.Output afterAttention = layerNorm.forward(a.queryInput, attended, a.outputDrop,
                w.attentionNormGain(), w.attentionNormBias(), null);
        a.attentionNorm = afterAttention.saved();
        a.afterAttention = afterAttention.y();
        a.preActivation = linear(a.afterAttention, w.w1(), w.b1());
        Gelu.Output gelu = Gelu.forward(a.preActivation);
        a.normalCdf = gelu.normalCdf();
        a.activated = gelu.activated();
        INDArray fed = linear(a.activated, w.w2(), w.b2());
        a.feedForwardDrop = dropout == null ? null : dropout.mask(config.hiddenDropout(), queryRows * d);
        LayerNorm.Output out = layerNorm.forward(a.afterAttention, fed, a.feedForwardDrop,
                w.feedForwardNormGain(), w.feedForwardNormBias(), null);
        a.feedForwardNorm = out.saved();
        a.output = out.y();
        return a;
    }

    /**
     * Gradients of every encoder tensor, by canonical name, given dLoss/dh [B, d].
     *
     * @param itemGradient the item table's gradient from elsewhere (the tied output layer), to which the lookup's
     *                     part is added in place and which becomes the table's entry; null for zeros
     */
    public Map<String, INDArray> backward(Activations act, INDArray hGradient, INDArray itemGradient) {
        Map<String, INDArray> grads = new LinkedHashMap<>();
        grads.put(EncoderWeights.ITEM_EMBEDDING, itemGradient == null ? Nd4j.zerosLike(weights.itemEmbedding()) : itemGradient);
        grads.put(EncoderWeights.POSITION_EMBEDDING, Nd4j.zerosLike(weights.positionEmbedding()));
        // dLoss/dh is the gradient of the last block's output, which holds the last rows only
        INDArray dx = hGradient;
        for (int l = config.layers() - 1; l >= 0; l--) {
            dx = backwardBlock(l, weights.blocks().get(l), act.blocks.get(l), dx, act, grads);
        }
        LayerNorm.Gradients input = layerNorm.backward(dx, act.inputNorm, weights.inputNormGain(), false, null,
                act.inputDrop);
        put(grads, EncoderWeights.INPUT_NORM_GAIN, input.gain());
        put(grads, EncoderWeights.INPUT_NORM_BIAS, input.bias());
        act.batch.accumulateEmbeddingGradient(input.sum(), grads.get(EncoderWeights.ITEM_EMBEDDING),
                grads.get(EncoderWeights.POSITION_EMBEDDING));
        return grads;
    }

    /**
     * Puts block {@code l}'s weight gradients into {@code grads} given dLoss/d(output), and returns dLoss/d(input)
     * over every position [P, d].
     */
    private INDArray backwardBlock(int l, EncoderWeights.Block w, BlockActivations a, INDArray dOutput,
                                   Activations act, Map<String, INDArray> grads) {
        // output = LN2(afterAttention + drop(W2 gelu(W1 afterAttention + b1) + b2))
        LayerNorm.Gradients feedForward = layerNorm.backward(dOutput, a.feedForwardNorm, w.feedForwardNormGain(),
                true, a.feedForwardDrop, null);
        putNorm(grads, l, "feed_forward_norm", feedForward);
        INDArray dSum = feedForward.sum();
        INDArray dFed = feedForward.branch();
        put(grads, l, "w2", product(a.activated, dFed, true, false));
        put(grads, l, "b2", feedForward.branchColumnSums());
        INDArray dPre = Gelu.multiplyByDerivative(product(dFed, w.w2(), false, true), a.preActivation, a.normalCdf);
        put(grads, l, "w1", product(a.afterAttention, dPre, true, false));
        put(grads, l, "b1", columnSums(dPre));
        INDArray dAfter = dSum.addi(product(dPre, w.w1(), false, true));
        // afterAttention = LN1(queryInput + drop(context Wo + bo))
        LayerNorm.Gradients attentionNorm = layerNorm.backward(dAfter, a.attentionNorm, w.attentionNormGain(), true,
                a.outputDrop, null);
        putNorm(grads, l, "attention_norm", attentionNorm);
        dSum = attentionNorm.sum();
        INDArray dAttended = attentionNorm.branch();
        put(grads, l, "wo", product(a.context, dAttended, true, false));
        put(grads, l, "bo", attentionNorm.branchColumnSums());
        INDArray dContext = product(dAttended, w.wo(), false, true);
        if (!a.lastRowsOnly) {
            INDArray dProjected = attention.backwardAll(a.attention, dContext);
            putProjections(grads, l, 0, product(a.input, dProjected, true, false), columnSums(dProjected));
            return dSum.addi(product(dProjected, a.projection, false, true));
        }
        MaskedAttention.LastGradients projections = attention.backwardLast(a.attention, dContext);
        INDArray dQuery = projections.queries();
        putProjections(grads, l, 0, product(a.queryInput, dQuery, true, false), columnSums(dQuery));
        INDArray dProjected = projections.keysValues();
        putProjections(grads, l, 1, product(a.input, dProjected, true, false), columnSums(dProjected));
        return addRows(product(dProjected, a.projection, false, true), act.lastRows,
                dSum.addi(product(dQuery, w.wq(), false, true)));
    }

    /**
     * Puts the gradients of consecutive projections from {@code first} on (slot 0 queries, 1 keys, 2 values), given
     * as one weight gradient [d, n d] and one bias gradient [n d].
     */
    private void putProjections(Map<String, INDArray> grads, int block, int first, INDArray weight, INDArray bias) {
        int d = config.hiddenSize();
        for (int p = first; p < PROJECTIONS && (p - first) * d < weight.columns(); p++) {
            int from = (p - first) * d;
            put(grads, block, "w" + PROJECTION_NAMES[p],
                    weight.get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + d)).dup('c'));
            put(grads, block, "b" + PROJECTION_NAMES[p], bias.get(NDArrayIndex.interval(from, from + d)).dup());
        }
    }

    /** positions[rows[i]] += rowValues[i] for every i (distinct rows), as a new array. */
    private static INDArray addRows(INDArray positions, int[] rows, INDArray rowValues) {
        HostBuffers host = HostBuffers.ofThisThread();
        int d = (int) positions.columns();
        double[] sum = host.read(positions, POSITIONS_GRADIENT_SLOT);
        double[] values = host.read(rowValues, ROWS_GRADIENT_SLOT);
        for (int i = 0; i < rows.length; i++) {
            int to = rows[i] * d;
            int from = i * d;
            for (int k = 0; k < d; k++) {
                sum[to + k] += values[from + k];
            }
        }
        return host.write(sum, positions.dataType(), positions.rows(), d);
    }

    private static void put(Map<String, INDArray> grads, String name, INDArray value) {
        if (grads.put(name, value) != null) {
            throw new IllegalStateException("two gradients for " + name);
        }
    }

    private static void put(Map<String, INDArray> grads, int block, String tensor, INDArray value) {
        put(grads, EncoderWeights.blockTensor(block, tensor), value);
    }

    private static void putNorm(Map<String, INDArray> grads, int block, String norm, LayerNorm.Gradients gradients) {
        put(grads, block, norm + ".gain", gradients.gain());
        put(grads, block, norm + ".bias", gradients.bias());
    }

    private static INDArray linear(INDArray x, INDArray w, INDArray b) {
        return product(x, w, false, false).addiRowVector(b);
    }

    /**
     * a b, either transposed: libnd4j's matmul passes the transposes to BLAS, where {@code INDArray.mmul} first copied
     * its row-major operands (8% of a step). Public for the trainer's output layer; the augmenters use it too.
     */
    public static INDArray product(INDArray a, INDArray b, boolean transposeA, boolean transposeB) {
        return Nd4j.matmul(a, b, transposeA, transposeB, false);
    }

    /** Sums over the rows, [n, m] -> [m], as a product with a ones vector: the strided column reduction was slower. */
    private static INDArray columnSums(INDArray x) {
        return product(Nd4j.ones(x.dataType(), 1, x.rows()), x, false, false).reshape(x.columns());
    }

    /**
     * Softmax over the last axis, in place (the output layer's [B, N+1] logits). Float arrays on the CPU go through
     * {@link VectorSoftmax} where the vector API is; otherwise libnd4j's fused op does per row what took five passes
     * over the array. Its float64 kernel (1.0.0-M2.1) does not shift by the row's maximum, so a row whose entries all
     * lie below exp's range comes out NaN; in float64 the rows are shifted here first. The float32 kernel, which
     * training uses, shifts them itself.
     */
    public static INDArray softmaxLastAxisInPlace(INDArray scores) {
        if (VectorApi.FOR_ND4J_ARRAYS && scores.dataType() == DataType.FLOAT
                && HostBuffers.isWholeRowMajor(scores)) {
            VectorSoftmax.rowsInPlace(scores);
            return scores;
        }
        if (scores.dataType() == DataType.DOUBLE) {
            long last = scores.size(scores.rank() - 1);
            INDArray rows = scores.reshape('c', scores.length() / last, last);
            rows.subiColumnVector(rows.max(true, 1));
        }
        Nd4j.exec(new SoftMax(scores, scores, scores.rank() - 1));
        return scores;
    }
}
