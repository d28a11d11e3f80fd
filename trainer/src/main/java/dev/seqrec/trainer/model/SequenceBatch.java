package dev.seqrec.trainer.model;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Histories laid out as the encoder reads them (spec section 2): right padding, columns 0..len-1, width trimmed to
 * the batch's own longest history. Trimming is exact: with the key and causal mask no column past a row's last item
 * influences its output. The encoder itself runs on packed rows ({@link #firstRow}): each history's positions, one
 * history after another, so that padding costs nothing.
 */
public final class SequenceBatch {
    private final int size;
    private final int width;
    private final int[] ids;
    private final int[] lengths;
    /** Packed row of each history's first position, then the number of packed rows: [size + 1]. */
    private final int[] firstRows;

    private SequenceBatch(int size, int width, int[] ids, int[] lengths) {
        this.size = size;
        this.width = width;
        this.ids = ids;
        this.lengths = lengths;
        this.firstRows = new int[size + 1];
        for (int b = 0; b < size; b++) {
            firstRows[b + 1] = firstRows[b] + lengths[b];
        }
    }

    /**
     * @param histories item ids oldest first, each non-empty; ids may be 0 (an item blanked by augmentation)
     * @param maxLength longer histories keep their last {@code maxLength} items
     */
    public static SequenceBatch of(int[][] histories, int maxLength) {
        int width = 1;
        for (int[] h : histories) {
            if (h.length == 0) {
                throw new IllegalArgumentException("empty history");
            }
            width = Math.max(width, Math.min(h.length, maxLength));
        }
        int[] ids = new int[histories.length * width];
        int[] lengths = new int[histories.length];
        for (int b = 0; b < histories.length; b++) {
            int[] h = histories[b];
            int len = Math.min(h.length, maxLength);
            System.arraycopy(h, h.length - len, ids, b * width, len);
            lengths[b] = len;
        }
        return new SequenceBatch(histories.length, width, ids, lengths);
    }

    /** Several batches stacked row-wise into one (padded to the widest), so they run in one graph execution. */
    public static SequenceBatch stack(SequenceBatch... parts) {
        int width = 1;
        int size = 0;
        for (SequenceBatch p : parts) {
            width = Math.max(width, p.width);
            size += p.size;
        }
        int[] ids = new int[size * width];
        int[] lengths = new int[size];
        int row = 0;
        for (SequenceBatch p : parts) {
            for (int b = 0; b < p.size; b++, row++) {
                System.arraycopy(p.ids, b * p.width, ids, row * width, p.width);
                lengths[row] = p.lengths[b];
            }
        }
        return new SequenceBatch(size, width, ids, lengths);
    }

    public int size() {
        return size;
    }

    /** Columns: the longest history in the batch. */
    public int width() {
        return width;
    }

    /** Item ids, row-major [size, width]. */
    public int[] ids() {
        return ids;
    }

    public int[] lengths() {
        return lengths;
    }

    /**
     * Writes into {@code out} the keys that position {@code position} of history {@code row} attends to and returns
     * how many: key j when j <= position and item j is not 0 (padding, or an item blanked by augmentation); when all
     * of those are 0, every key of 0..position ({@link MaskedAttention} explains why).
     */
    public int visibleKeys(int row, int position, int[] out) {
        int n = 0;
        for (int key = 0; key <= position; key++) {
            if (ids[row * width + key] != 0) {
                out[n++] = key;
            }
        }
        if (n == 0) {
            for (int key = 0; key <= position; key++) {
                out[n++] = key;
            }
        }
        return n;
    }

    /** The (query, key) pairs attention scores: over every position of every history, or each history's last one. */
    public long attendedPairs(boolean lastPositionsOnly) {
        long pairs = 0;
        int[] keys = new int[width];
        for (int row = 0; row < size; row++) {
            for (int position = lastPositionsOnly ? lengths[row] - 1 : 0; position < lengths[row]; position++) {
                pairs += visibleKeys(row, position, keys);
            }
        }
        return pairs;
    }

    /** Positions in all, the packed rows: the sum of the lengths. */
    public int positions() {
        return firstRows[size];
    }

    /** Packed row of history b's first position, for b in 0..size (the last entry: {@link #positions}). */
    public int firstRow(int b) {
        return firstRows[b];
    }

    /** E[x] + P[s] for every position s of every history, packed [positions, d]: the lookup as an eager row gather. */
    public INDArray embedded(EncoderWeights weights) {
        INDArray items = Nd4j.pullRows(weights.itemEmbedding(), 1, packedIds());
        return items.addi(Nd4j.pullRows(weights.positionEmbedding(), 1, packedPositions()));
    }

    /**
     * Adds the gradient of the loss with respect to {@link #embedded} into the tables' gradients: scatter-add into item
     * rows (id 0 excluded: blanked items pass no gradient to E[0], spec 4.3) and a sum over rows into the
     * positions.
     */
    public void accumulateEmbeddingGradient(INDArray embeddedGradient, INDArray itemGradient, INDArray positionGradient) {
        scatterAddRows(embeddedGradient, packedIds(), itemGradient, true);
        scatterAddRows(embeddedGradient, packedPositions(), positionGradient, false);
    }

    private int[] packedIds() {
        int[] packed = new int[positions()];
        for (int b = 0; b < size; b++) {
            System.arraycopy(ids, b * width, packed, firstRows[b], lengths[b]);
        }
        return packed;
    }

    private int[] packedPositions() {
        int[] packed = new int[positions()];
        for (int b = 0; b < size; b++) {
            for (int s = 0; s < lengths[b]; s++) {
                packed[firstRows[b] + s] = s;
            }
        }
        return packed;
    }

    /**
     * table[rows[i]] += gradient[i] for every i (rows may repeat), in place. Only the touched rows are written: the item
     * table has ~10^4 rows where a batch touches ~10^3, and copying the whole table cost more than the rest of the
     * lookup's backward.
     *
     * @param table       a contiguous row-major table, float or double
     * @param skipPadding ignore rows[i] == 0
     */
    public static void scatterAddRows(INDArray gradient, int[] rows, INDArray table, boolean skipPadding) {
        DataType type = table.dataType();
        if (table.isView() || table.ordering() != 'c' || (type != DataType.FLOAT && type != DataType.DOUBLE)) {
            throw new IllegalArgumentException("scatter-add needs a contiguous row-major float or double table, got "
                    + type + (table.isView() ? " view" : ""));
        }
        int d = (int) gradient.size(1);
        INDArray typed = gradient.castTo(type);
        INDArray source = HostBuffers.wholeRowMajor(typed);
        AffinityManager affinity = Nd4j.getAffinityManager();
        affinity.ensureLocation(source, AffinityManager.Location.HOST);
        affinity.ensureLocation(table, AffinityManager.Location.HOST);
        if (type == DataType.DOUBLE) {
            DoubleBuffer g = source.data().asNioDouble();
            DoubleBuffer t = table.data().asNioDouble();
            for (int i = 0; i < rows.length; i++) {
                if (skipPadding && rows[i] == 0) {
                    continue;
                }
                int src = i * d;
                int dst = rows[i] * d;
                for (int k = 0; k < d; k++) {
                    t.put(dst + k, t.get(dst + k) + g.get(src + k));
                }
            }
        } else {
            // bulk copies in and out of the direct buffers: their per-element get and put cost more than the sums
            float[] g = new float[rows.length * d];
            source.data().asNioFloat().get(0, g, 0, g.length);
            FloatBuffer t = table.data().asNioFloat();
            float[] row = new float[d];
            for (int i = 0; i < rows.length; i++) {
                if (skipPadding && rows[i] == 0) {
                    continue;
                }
                int src = i * d;
                int dst = rows[i] * d;
                t.get(dst, row, 0, d);
                for (int k = 0; k < d; k++) {
                    row[k] += g[src + k];
                }
                t.put(dst, row, 0, d);
            }
        }
        affinity.tagLocation(table, AffinityManager.Location.HOST);
    }
}
