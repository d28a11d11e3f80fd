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
 * last position always sees a key. Computed in double whatever the arrays' type, like the other loop kernels.
 *
 * <p>Rows are packed ({@link SequenceBatch#firstRow}): each history's positions, one history after another, no
 * padding.
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
     * block) and the attention weights before dropout, packed ({@link Layout#weightRow}), 0 where hidden.
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

    /** The attention's output, one row per query (packed), with head h in columns h*headSize onwards. */
    record Output(INDArray context, Saved saved) {
    }

    /** Gradients of the last positions' queries [B, d] and of every position's keys and values [P, 2d]. */
    record LastGradients(INDArray queries, INDArray keysValues) {
    }

    /**
     * Every position attends.
     *
     * @param qkv  [P, 3d]: each position's queries, keys and values side by side
     * @param drop dropout mask of the weights, {@link #weights}(batch, false) of them, or null
     */
    Output forwardAll(INDArray qkv, SequenceBatch batch, DropoutMask drop) {
        return forward(new Layout(batch, false), null, qkv, drop);
    }

    /**
     * Only each history's last position attends.
     *
     * @param queries [B, d], the last positions' queries
     * @param kv      [P, 2d]: each position's keys and values side by side
     * @param drop    dropout mask of the weights, {@link #weights}(batch, true) of them, or null
     */
    Output forwardLast(INDArray queries, INDArray kv, SequenceBatch batch, DropoutMask drop) {
        return forward(new Layout(batch, true), queries, kv, drop);
    }

    /** dLoss/dqkv [P, 3d] given dLoss/dcontext [P, d], for {@link #forwardAll}. */
    INDArray backwardAll(Saved saved, INDArray contextGradient) {
        return backward(saved, contextGradient).keysValues();
    }

    /** The gradients of {@link #forwardLast}'s inputs given dLoss/dcontext [B, d]. */
    LastGradients backwardLast(Saved saved, INDArray contextGradient) {
        return backward(saved, contextGradient);
    }

    /**
     * The attention weights, per head, of every position's query (or each history's last): the units of the dropout
     * mask over them, which is packed as the weights are.
     */
    long weights(SequenceBatch batch, boolean lastPositionsOnly) {
        return new Layout(batch, lastPositionsOnly).weights;
    }

    private Output forward(Layout layout, INDArray lastQueries, INDArray projected, DropoutMask drop) {
        HostBuffers host = HostBuffers.ofThisThread();
        double[] kv = host.read(projected, KEYS_VALUES);
        double[] q = lastQueries == null ? kv : host.read(lastQueries, QUERIES);
        int d = heads * headSize;
        double[] context = host.scratch(CONTEXT, layout.queryRows * d);
        Arrays.fill(context, 0, layout.queryRows * d, 0.0);
        double[] weights = new double[layout.weights];
        ComputeThreads.inShares((share, shares) -> {
            double[] scores = new double[layout.width];
            layout.forEachQuery(share, shares, (b, query, queryRow, visible, n) -> {
                for (int h = 0; h < heads; h++) {
                    int qh = queryRow * layout.queryStride + h * headSize;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        int kh = layout.keyRow(b, visible[j]) * layout.stride + layout.keyOffset + h * headSize;
                        scores[j] = dot(q, qh, kv, kh, headSize) * scale;
                        max = Math.max(max, scores[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < n; j++) {
                        scores[j] = Math.exp(scores[j] - max);
                        sum += scores[j];
                    }
                    int weightRow = layout.weightRow(b, query, h);
                    int ch = queryRow * d + h * headSize;
                    for (int j = 0; j < n; j++) {
                        int s = visible[j];
                        double weight = scores[j] / sum;
                        weights[weightRow + s] = weight;
                        double kept = drop == null ? weight : weight * drop.factor(weightRow + s);
                        int vh = layout.keyRow(b, s) * layout.stride + layout.valueOffset + h * headSize;
                        axpy(kept, kv, vh, context, ch, headSize);
                    }
                }
            });
        });
        DataType type = projected.dataType();
        Saved saved = new Saved(layout.batch, lastQueries, projected, drop, weights);
        INDArray out = host.write(context, type, layout.queryRows, d);
        return new Output(out, saved);
    }

    private LastGradients backward(Saved saved, INDArray contextGradient) {
        HostBuffers host = HostBuffers.ofThisThread();
        boolean lastOnly = saved.lastQueries != null;
        Layout layout = new Layout(saved.batch, lastOnly);
        double[] kv = host.read(saved.projected, KEYS_VALUES);
        double[] q = lastOnly ? host.read(saved.lastQueries, QUERIES) : kv;
        DropoutMask drop = saved.drop;
        double[] dContext = host.read(contextGradient, CONTEXT);
        double[] weights = saved.weights;
        int d = heads * headSize;
        int packed = layout.positions * layout.stride;
        double[] dkv = host.scratch(PROJECTION_GRADIENT, packed);
        Arrays.fill(dkv, 0, packed, 0.0);
        // every position's queries sit in the projected rows, so their gradients go there too
        double[] dq = lastOnly ? host.scratch(QUERY_GRADIENT, layout.queryRows * d) : dkv;
        if (dq != dkv) {
            Arrays.fill(dq, 0, layout.queryRows * d, 0.0);
        }
        ComputeThreads.inShares((share, shares) -> {
            double[] dWeights = new double[layout.width];
            double[] queryGradient = new double[headSize];
            layout.forEachQuery(share, shares, (b, query, queryRow, visible, n) -> {
                for (int h = 0; h < heads; h++) {
                    int qh = queryRow * layout.queryStride + h * headSize;
                    int ch = queryRow * d + h * headSize;
                    int weightRow = layout.weightRow(b, query, h);
                    // through the values and the dropout: dweight = drop * (dcontext . v), dv += kept * dcontext
                    double weighted = 0;
                    for (int j = 0; j < n; j++) {
                        int s = visible[j];
                        int vh = layout.keyRow(b, s) * layout.stride + layout.valueOffset + h * headSize;
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
                        int kh = layout.keyRow(b, s) * layout.stride + layout.keyOffset + h * headSize;
                        axpy(dScore, kv, kh, queryGradient, 0, headSize);
                        axpy(dScore, q, qh, dkv, kh, headSize);
                    }
                    axpy(1.0, queryGradient, 0, dq, qh, headSize);
                }
            });
        });
        DataType type = saved.projected.dataType();
        INDArray keysValues = host.write(dkv, type, layout.positions, layout.stride);
        INDArray queries = lastOnly ? host.write(dq, type, layout.size, d) : null;
        return new LastGradients(queries, keysValues);
    }

    /**
     * a[from..] . b[from..] over n entries: {@link VectorLoops} where the vector API is, else in four partial sums (one
     * sum's chain of dependent additions made these loops latency-bound: the attention's dot products run over a
     * head's few entries, tens of thousands per step).
     */
    private static double dot(double[] a, int aFrom, double[] b, int bFrom, int n) {
        if (VectorApi.PRESENT) {
            return VectorLoops.dot(a, aFrom, b, bFrom, n);
        }
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

    /** y[yFrom..] += a x[xFrom..] over n entries, vectorised or unrolled by four like {@link #dot}. */
    private static void axpy(double a, double[] x, int xFrom, double[] y, int yFrom, int n) {
        if (VectorApi.PRESENT) {
            VectorLoops.axpy(a, x, xFrom, y, yFrom, n);
            return;
        }
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

    /** A query that attends: history b, its index among b's queries, its packed row, its n visible keys. */
    @FunctionalInterface
    private interface QueryVisit {
        void at(int b, int query, int queryRow, int[] visible, int n);
    }

    /** Where each position's projections are (packed rows), and which positions query. */
    private final class Layout {
        final SequenceBatch batch;
        final int size;
        final int width;
        final int[] lengths;
        final boolean lastOnly;
        /** Row width of the projected array, and where keys and values start in a row. */
        final int stride;
        final int keyOffset;
        final int valueOffset;
        /** Row width of the queries' array (the projected array itself, queries first, when every position queries). */
        final int queryStride;
        /** Where the packed weights of each history's first query start. */
        final int[] firstWeight;
        /** Packed positions, query rows and attention weights in all. */
        final int positions;
        final int queryRows;
        final int weights;

        Layout(SequenceBatch batch, boolean lastOnly) {
            int d = heads * headSize;
            this.batch = batch;
            this.size = batch.size();
            this.width = batch.width();
            this.lengths = batch.lengths();
            this.lastOnly = lastOnly;
            this.stride = (lastOnly ? WITHOUT_QUERIES : WITH_QUERIES) * d;
            this.keyOffset = lastOnly ? 0 : d;
            this.valueOffset = keyOffset + d;
            this.queryStride = lastOnly ? d : stride;
            this.firstWeight = new int[size];
            int weightCount = 0;
            for (int b = 0; b < size; b++) {
                firstWeight[b] = weightCount;
                // each query of history b weighs the history's positions, per head
                weightCount += (lastOnly ? 1 : lengths[b]) * heads * lengths[b];
            }
            this.positions = batch.positions();
            this.queryRows = lastOnly ? size : positions;
            this.weights = weightCount;
        }

        /** Packed row of history b's position s. */
        int keyRow(int b, int s) {
            return batch.firstRow(b) + s;
        }

        /** Where the packed weights of history b's query (an index among its queries) and head h start. */
        int weightRow(int b, int query, int h) {
            return firstWeight[b] + (query * heads + h) * lengths[b];
        }

        /**
         * Calls {@code visit} for every query of share {@code share} of {@code shares} that attends: each position up
         * to a history's end, or its last one, with its packed query row. A share is every shares-th history, so
         * that long and short histories spread evenly; a history's queries, keys and values are its own, so shares
         * write to disjoint rows.
         */
        void forEachQuery(int share, int shares, QueryVisit visit) {
            int[] visible = new int[width];
            for (int b = share; b < size; b += shares) {
                int queries = lastOnly ? 1 : lengths[b];
                for (int query = 0; query < queries; query++) {
                    int position = lastOnly ? lengths[b] - 1 : query;
                    int queryRow = lastOnly ? b : batch.firstRow(b) + query;
                    visit.at(b, query, queryRow, visible, batch.visibleKeys(b, position, visible));
                }
            }
        }
    }
}
