package dev.seqrec.trainer.model;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Histories laid out as the encoder reads them (spec section 2): right padding, columns 0..len-1, width trimmed to
 * the batch's own longest history. Trimming is exact: with the key and causal mask no column past a row's last item
 * influences its output.
 */
public final class SequenceBatch {
    /**
     * What one more group costs, in padded tokens, when {@link #lengthGroups} decides where to cut: a group's forward
     * and backward run about a hundred ND4J operations of some tens of microseconds each, about what a few hundred
     * tokens of this model's products cost. Small groups also multiply less efficiently.
     */
    static final int GROUP_OVERHEAD_TOKENS = 512;

    private final int size;
    private final int width;
    private final int[] ids;
    private final int[] lengths;

    private SequenceBatch(int size, int width, int[] ids, int[] lengths) {
        this.size = size;
        this.width = width;
        this.ids = ids;
        this.lengths = lengths;
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

    /**
     * The rows cut into groups of similar length, so that each runs trimmed to its own longest history: a batch of
     * mixed lengths (uniform batching, or views shorter than their histories) then costs about what it would in
     * length buckets. Rows are sorted by length and cut where the padded tokens saved outweigh
     * {@link #GROUP_OVERHEAD_TOKENS} per extra group (an exact minimum over the cuts between distinct lengths). Rows
     * are independent in the encoder, so the groups' results are those of the whole batch.
     *
     * @return row indices per group, each group's rows in ascending length; together every row once
     */
    public int[][] lengthGroups() {
        int[] byLength = new int[width + 1];
        for (int len : lengths) {
            byLength[len]++;
        }
        int[] distinct = new int[width];
        int m = 0;
        for (int len = 1; len <= width; len++) {
            if (byLength[len] > 0) {
                distinct[m++] = len;
            }
        }
        // best[j]: least cost of the rows with the j shortest distinct lengths; cut[j]: where its last group starts
        long[] best = new long[m + 1];
        int[] cut = new int[m + 1];
        for (int j = 1; j <= m; j++) {
            best[j] = Long.MAX_VALUE;
            long rows = 0;
            for (int i = j - 1; i >= 0; i--) {
                rows += byLength[distinct[i]];
                long cost = best[i] + rows * distinct[j - 1] + GROUP_OVERHEAD_TOKENS;
                if (cost < best[j]) {
                    best[j] = cost;
                    cut[j] = i;
                }
            }
        }
        // walk the cuts back from the longest length; a group's rows are a run of the rows sorted by length
        int groups = 0;
        for (int j = m; j > 0; j = cut[j]) {
            groups++;
        }
        int[] sorted = rowsByLength(byLength);
        int[][] result = new int[groups][];
        int end = size;
        for (int j = m, g = groups - 1; j > 0; j = cut[j], g--) {
            int start = end;
            for (int i = cut[j]; i < j; i++) {
                start -= byLength[distinct[i]];
            }
            result[g] = Arrays.copyOfRange(sorted, start, end);
            end = start;
        }
        return result;
    }

    /** Row indices by ascending length, ties in row order (a counting sort); {@code byLength} counts rows per length. */
    private int[] rowsByLength(int[] byLength) {
        int[] next = new int[width + 2];
        for (int len = 1; len <= width; len++) {
            next[len + 1] = next[len] + byLength[len];
        }
        int[] sorted = new int[size];
        for (int r = 0; r < size; r++) {
            sorted[next[lengths[r]]++] = r;
        }
        return sorted;
    }

    /** The given rows of this batch, in that order, trimmed to their own longest history. */
    public SequenceBatch rows(int[] rows) {
        int narrowed = 1;
        for (int r : rows) {
            narrowed = Math.max(narrowed, lengths[r]);
        }
        int[] subIds = new int[rows.length * narrowed];
        int[] subLengths = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(ids, rows[i] * width, subIds, i * narrowed, narrowed);
            subLengths[i] = lengths[rows[i]];
        }
        return new SequenceBatch(rows.length, narrowed, subIds, subLengths);
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

    /** Tokens in the batch including padding: size x width. */
    public long tokens() {
        return (long) size * width;
    }

    /** E[X] + P[0..width-1], flat [size * width, d]: the lookup as an eager row gather. */
    public INDArray embedded(EncoderWeights weights) {
        int[] positions = new int[ids.length];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = i % width;
        }
        INDArray items = Nd4j.pullRows(weights.itemEmbedding(), 1, ids);
        return items.addi(Nd4j.pullRows(weights.positionEmbedding(), 1, positions));
    }

    /**
     * Adds the gradient of the loss with respect to {@link #embedded} into the tables' gradients: scatter-add into item
     * rows (id 0 excluded: padding and blanked items pass no gradient to E[0], spec 4.3) and a sum over rows into the
     * positions.
     */
    public void accumulateEmbeddingGradient(INDArray embeddedGradient, INDArray itemGradient, INDArray positionGradient) {
        int[] positions = new int[ids.length];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = i % width;
        }
        scatterAddRows(embeddedGradient, ids, itemGradient, true);
        scatterAddRows(embeddedGradient, positions, positionGradient, false);
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
