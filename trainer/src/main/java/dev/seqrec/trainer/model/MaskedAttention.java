package dev.seqrec.trainer.model;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SASRec's multi-head scaled dot-product attention (spec 4.3) over right-padded histories, as plain loops over each
 * query's visible keys: key j is visible from position i when j <= i and item j is not 0 (padding or an item blanked
 * by augmentation). With libnd4j, the batched [T, T] products ran as one small BLAS call per history and head, each
 * with its own sub-array set-up, and the additive mask, softmax, dropout and head reshapes took a dozen more passes:
 * about a sixth of a SASRec step (async-profiler), for a few megaflops of arithmetic.
 *
 * <p>Hidden keys get weight 0, exactly what the reference's additive -10000 gives in float32 and float64 alike. A
 * query with no visible key at all (a blanked item after blanked items) attends to its causal window, keys 0 to its
 * own position, by their raw scores. The reference's additive mask would spread it over every column of the padded
 * batch, so that the result depended on the batch's width: the one place where this kernel departs from it, chosen
 * so that each history's result is independent of the batch it runs in. Training never reads such a row: a blanked
 * row is hidden from every later query, and augmentation leaves at least one item of a history unblanked, so its
 * last position always sees a key. Rows past a history's end are not computed (their context is 0): they only ever
 * feed hidden keys and other padded rows. Computed in double whatever the arrays' type, like the other loop
 * kernels.
 */
final class MaskedAttention {
    /** {@link HostBuffers} slots, free again once a call returns; the backward pass reads dcontext into CONTEXT. */
    private static final int QUERIES = 0;
    private static final int KEYS_VALUES = 1;
    private static final int CONTEXT = 2;
    private static final int PROJECTION_GRADIENT = 3;
    private static final int QUERY_GRADIENT = 4;
    /** With every query's projections: queries, keys, values side by side in one row; else keys then values. */
    private static final int WITH_QUERIES = 3;
    private static final int WITHOUT_QUERIES = 2;

    private final int heads;
    private final int headSize;
    private final double scale;

    MaskedAttention(int heads, int headSize) {
        this.heads = heads;
        this.headSize = headSize;
        this.scale = 1.0 / Math.sqrt(headSize);
    }

    /**
     * What the backward pass needs: the inputs (read again rather than copied: a step keeps a few of these per
     * block) and the attention weights before dropout, [B, H, queries, T], 0 where hidden.
     */
    static final class Saved {
        private final SequenceBatch batch;
        /** [B, d] queries of the last positions, or null when {@link #projected} holds every position's. */
        private final INDArray lastQueries;
        private final INDArray projected;
        private final DropoutMask drop;
        private final double[] weights;

        private Saved(SequenceBatch batch, INDArray lastQueries, INDArray projected, DropoutMask drop,
                      double[] weights) {
            this.batch = batch;
            this.lastQueries = lastQueries;
            this.projected = projected;
            this.drop = drop;
            this.weights = weights;
        }
    }

    /** The attention's output, [B*queries, d] with head h in columns h*headSize onwards. */
    record Output(INDArray context, Saved saved) {
    }

    /** Gradients of the last positions' queries [B, d] and of every position's keys and values [B*T, 2d]. */
    record LastGradients(INDArray queries, INDArray keysValues) {
    }

    /**
     * Every position attends.
     *
     * @param qkv  [B*T, 3d]: each token's queries, keys and values side by side
     * @param drop dropout mask of the weights [B, H, T, T] (row-major), or null
     */
    Output forwardAll(INDArray qkv, SequenceBatch batch, DropoutMask drop) {
        return forward(new Layout(batch, false), null, qkv, drop);
    }

    /**
     * Only each history's last position attends.
     *
     * @param queries [B, d], the last positions' queries
     * @param kv      [B*T, 2d]: each token's keys and values side by side
     * @param drop    dropout mask of the weights [B, H, 1, T] (row-major), or null
     */
    Output forwardLast(INDArray queries, INDArray kv, SequenceBatch batch, DropoutMask drop) {
        return forward(new Layout(batch, true), queries, kv, drop);
    }

    /** dLoss/dqkv [B*T, 3d] given dLoss/dcontext [B*T, d], for {@link #forwardAll}. */
    INDArray backwardAll(Saved saved, INDArray contextGradient) {
        return backward(saved, contextGradient).keysValues();
    }

    /** The gradients of {@link #forwardLast}'s inputs given dLoss/dcontext [B, d]. */
    LastGradients backwardLast(Saved saved, INDArray contextGradient) {
        return backward(saved, contextGradient);
    }

    private Output forward(Layout layout, INDArray lastQueries, INDArray projected, DropoutMask drop) {
        HostBuffers host = HostBuffers.ofThisThread();
        double[] kv = host.read(projected, KEYS_VALUES);
        double[] q = lastQueries == null ? kv : host.read(lastQueries, QUERIES);
        int d = heads * headSize;
        int t = layout.width;
        double[] context = host.scratch(CONTEXT, layout.queryRows() * d);
        Arrays.fill(context, 0, layout.queryRows() * d, 0.0);
        double[] weights = new double[layout.queryRows() * heads * t];
        double[] scores = new double[t];
        layout.forEachQuery((b, query, queryRow, visible, n) -> {
            for (int h = 0; h < heads; h++) {
                int qh = queryRow * layout.queryStride + h * headSize;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    int kh = (b * t + visible[j]) * layout.stride + layout.keyOffset + h * headSize;
                    scores[j] = dot(q, qh, kv, kh, headSize) * scale;
                    max = Math.max(max, scores[j]);
                }
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    scores[j] = Math.exp(scores[j] - max);
                    sum += scores[j];
                }
                int weightRow = ((b * heads + h) * layout.queries + query) * t;
                int ch = queryRow * d + h * headSize;
                for (int j = 0; j < n; j++) {
                    int s = visible[j];
                    double weight = scores[j] / sum;
                    weights[weightRow + s] = weight;
                    double kept = drop == null ? weight : weight * drop.factor(weightRow + s);
                    int vh = (b * t + s) * layout.stride + layout.valueOffset + h * headSize;
                    axpy(kept, kv, vh, context, ch, headSize);
                }
            }
        });
        DataType type = projected.dataType();
        Saved saved = new Saved(layout.batch, lastQueries, projected, drop, weights);
        return new Output(host.write(context, type, layout.queryRows(), d), saved);
    }

    private LastGradients backward(Saved saved, INDArray contextGradient) {
        HostBuffers host = HostBuffers.ofThisThread();
        Layout layout = new Layout(saved.batch, saved.lastQueries != null);
        double[] kv = host.read(saved.projected, KEYS_VALUES);
        double[] q = saved.lastQueries == null ? kv : host.read(saved.lastQueries, QUERIES);
        DropoutMask drop = saved.drop;
        double[] dContext = host.read(contextGradient, CONTEXT);
        double[] weights = saved.weights;
        int d = heads * headSize;
        int t = layout.width;
        int tokens = layout.size * t;
        double[] dkv = host.scratch(PROJECTION_GRADIENT, tokens * layout.stride);
        Arrays.fill(dkv, 0, tokens * layout.stride, 0.0);
        // every position's queries sit in the projected rows, so their gradients go there too
        double[] dq = saved.lastQueries == null ? dkv : host.scratch(QUERY_GRADIENT, layout.queryRows() * d);
        if (dq != dkv) {
            Arrays.fill(dq, 0, layout.queryRows() * d, 0.0);
        }
        double[] dWeights = new double[t];
        double[] queryGradient = new double[headSize];
        layout.forEachQuery((b, query, queryRow, visible, n) -> {
            for (int h = 0; h < heads; h++) {
                int qh = queryRow * layout.queryStride + h * headSize;
                int ch = queryRow * d + h * headSize;
                int weightRow = ((b * heads + h) * layout.queries + query) * t;
                // through the values and the dropout: dweight = drop * (dcontext . v), dv += kept * dcontext
                double weighted = 0;
                for (int j = 0; j < n; j++) {
                    int s = visible[j];
                    int vh = (b * t + s) * layout.stride + layout.valueOffset + h * headSize;
                    double weight = weights[weightRow + s];
                    double keep = drop == null ? 1.0 : drop.factor(weightRow + s);
                    double kept = weight * keep;
                    axpy(kept, dContext, ch, dkv, vh, headSize);
                    dWeights[j] = dot(dContext, ch, kv, vh, headSize) * keep;
                    weighted += dWeights[j] * weight;
                }
                // through the softmax and the scale: dscore = weight (dweight - sum(dweight weight)) / sqrt(hs)
                Arrays.fill(queryGradient, 0.0);
                for (int j = 0; j < n; j++) {
                    int s = visible[j];
                    double dScore = weights[weightRow + s] * (dWeights[j] - weighted) * scale;
                    int kh = (b * t + s) * layout.stride + layout.keyOffset + h * headSize;
                    axpy(dScore, kv, kh, queryGradient, 0, headSize);
                    axpy(dScore, q, qh, dkv, kh, headSize);
                }
                axpy(1.0, queryGradient, 0, dq, qh, headSize);
            }
        });
        DataType type = saved.projected.dataType();
        INDArray keysValues = host.write(dkv, type, tokens, layout.stride);
        INDArray queries = saved.lastQueries == null ? null : host.write(dq, type, layout.queryRows(), d);
        return new LastGradients(queries, keysValues);
    }

    /**
     * a[from..] . b[from..] over n entries, in four partial sums: one sum's chain of dependent additions made these
     * loops latency-bound (the attention's dot products run over a head's few entries, tens of thousands per step).
     */
    private static double dot(double[] a, int aFrom, double[] b, int bFrom, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            s0 += a[aFrom + k] * b[bFrom + k];
            s1 += a[aFrom + k + 1] * b[bFrom + k + 1];
            s2 += a[aFrom + k + 2] * b[bFrom + k + 2];
            s3 += a[aFrom + k + 3] * b[bFrom + k + 3];
        }
        for (; k < n; k++) {
            s0 += a[aFrom + k] * b[bFrom + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** y[yFrom..] += a x[xFrom..] over n entries, unrolled by four like {@link #dot}. */
    private static void axpy(double a, double[] x, int xFrom, double[] y, int yFrom, int n) {
        int k = 0;
        for (; k + 3 < n; k += 4) {
            y[yFrom + k] += a * x[xFrom + k];
            y[yFrom + k + 1] += a * x[xFrom + k + 1];
            y[yFrom + k + 2] += a * x[xFrom + k + 2];
            y[yFrom + k + 3] += a * x[xFrom + k + 3];
        }
        for (; k < n; k++) {
            y[yFrom + k] += a * x[xFrom + k];
        }
    }

    /** A query that attends: history b, its query index and row, and its n visible keys in {@code visible}. */
    @FunctionalInterface
    private interface QueryVisit {
        void at(int b, int query, int queryRow, int[] visible, int n);
    }

    /** Where each position's projections are, and which positions query. */
    private final class Layout {
        final SequenceBatch batch;
        final int size;
        final int width;
        final int[] lengths;
        final boolean lastOnly;
        /** Queries per history: every position, or the last one. */
        final int queries;
        /** Row width of the projected array, and where keys and values start in a row. */
        final int stride;
        final int keyOffset;
        final int valueOffset;
        /** Row width of the queries' array (the projected array itself, queries first, when every position queries). */
        final int queryStride;

        Layout(SequenceBatch batch, boolean lastOnly) {
            int d = heads * headSize;
            this.batch = batch;
            this.size = batch.size();
            this.width = batch.width();
            this.lengths = batch.lengths();
            this.lastOnly = lastOnly;
            this.queries = lastOnly ? 1 : width;
            this.stride = (lastOnly ? WITHOUT_QUERIES : WITH_QUERIES) * d;
            this.keyOffset = lastOnly ? 0 : d;
            this.valueOffset = keyOffset + d;
            this.queryStride = lastOnly ? d : stride;
        }

        int queryRows() {
            return size * queries;
        }

        /** Calls {@code visit} for every query that attends: each position up to a history's end, or its last one. */
        void forEachQuery(QueryVisit visit) {
            int[] visible = new int[width];
            for (int b = 0; b < size; b++) {
                for (int query = 0; query < queries; query++) {
                    int position = lastOnly ? lengths[b] - 1 : query;
                    if (position < lengths[b]) {
                        visit.at(b, query, b * queries + query, visible, batch.visibleKeys(b, position, visible));
                    }
                }
            }
        }
    }
}
