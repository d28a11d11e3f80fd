package dev.seqrec.recommender.model;

import dev.seqrec.eval.data.IdMapping;
import dev.seqrec.trainer.model.EncoderConfig;
import dev.seqrec.trainer.model.EncoderWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One loaded checkpoint, ready to answer: the eager encoder, the item table laid out for scoring, the item id
 * mapping and the popularity ranking used as fallback. Immutable and thread-safe; a model swap replaces the whole
 * object, so a request that holds one finishes on it.
 */
public final class ServingModel {
    /** Items per scoring tile: a tile of every score row of a batch and of four table rows fit in L1 together. */
    private static final int SCORE_TILE = 512;

    private final ModelCard card;
    private final EagerSasrecEncoder encoder;
    private final IdMapping items;
    private final int numItems;
    private final int hidden;
    private final float[] itemTableByDimension; // [d][N + 1]: scoring is then a sequence of axpy passes
    private final float[] itemNorms;            // [N + 1]
    private final int[] popularityRanking;      // dense ids, most trained-on first, ties by smaller id
    private final float[] popularityCounts;     // [N + 1]

    /**
     * @param itemCounts training interactions per item, length N: index i holds dense id i + 1 (the checkpoint's
     *                   item_counts.txt)
     */
    public ServingModel(ModelCard card, EncoderConfig config, EncoderWeights weights, IdMapping items,
                        long[] itemCounts) {
        if (items.size() != config.numItems()) {
            throw new IllegalArgumentException("item mapping has " + items.size() + " items but the encoder has "
                    + config.numItems());
        }
        if (itemCounts.length != config.numItems()) {
            throw new IllegalArgumentException("item counts have " + itemCounts.length + " entries, expected "
                    + config.numItems());
        }
        this.card = card;
        this.encoder = new EagerSasrecEncoder(config, weights);
        this.items = copyOf(items);
        this.numItems = config.numItems();
        this.hidden = config.hiddenSize();
        float[] table = encoder.itemTable();
        int columns = numItems + 1;
        this.itemTableByDimension = new float[hidden * columns];
        this.itemNorms = new float[columns];
        for (int item = 0; item < columns; item++) {
            double norm = 0;
            for (int c = 0; c < hidden; c++) {
                float value = table[item * hidden + c];
                itemTableByDimension[c * columns + item] = value;
                norm += (double) value * value;
            }
            itemNorms[item] = (float) Math.sqrt(norm);
        }
        this.popularityCounts = new float[columns];
        Integer[] order = new Integer[numItems];
        for (int item = 1; item <= numItems; item++) {
            popularityCounts[item] = itemCounts[item - 1];
            order[item - 1] = item;
        }
        Arrays.sort(order, (a, b) -> itemCounts[a - 1] != itemCounts[b - 1]
                ? Long.compare(itemCounts[b - 1], itemCounts[a - 1]) : Integer.compare(a, b));
        this.popularityRanking = Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    public ModelCard card() {
        return card;
    }

    public String version() {
        return card.version();
    }

    public int numItems() {
        return numItems;
    }

    /** Longest history the encoder reads; older items are ignored. */
    public int maxHistory() {
        return encoder.maxLength();
    }

    /**
     * A copy of the model's item vocabulary (dense ids 1..N), for APIs that take an {@link IdMapping}: changing it
     * changes nothing here. {@link #itemId} and {@link #externalId} look ids up without copying.
     */
    public IdMapping items() {
        return copyOf(items);
    }

    /** IdMapping can only grow: a model holding a mapping someone else can reach could read past its item table. */
    private static IdMapping copyOf(IdMapping items) {
        IdMapping copy = new IdMapping();
        for (int id = 1; id <= items.size(); id++) {
            copy.getOrAdd(items.externalId(id));
        }
        return copy;
    }

    /** Dense id of an original item id, or {@link IdMapping#UNKNOWN}. */
    public int itemId(String item) {
        return items.id(item);
    }

    public String externalId(int denseId) {
        return items.externalId(denseId);
    }

    /** The sequence vector of a non-empty history of dense ids. */
    public float[] encode(int[] history) {
        return encoder.encode(history);
    }

    /**
     * Scores every item for several sequence vectors at once: one pass over the item table serves the whole batch.
     * Column 0 (padding) gets {@code -Infinity}.
     *
     * @param vectors sequence vectors, [count][d]
     * @param scores  output rows of length N + 1, [count][N + 1]
     */
    public void scoreAll(float[][] vectors, int count, float[][] scores) {
        int columns = numItems + 1;
        for (int b = 0; b < count; b++) {
            Arrays.fill(scores[b], 0f);
        }
        for (int tile = 0; tile < columns; tile += SCORE_TILE) {
            int end = Math.min(columns, tile + SCORE_TILE);
            int c = 0;
            // Four dimensions per pass quarter the loads and stores of the score rows; the four table slices stay
            // in L1 while every vector of the batch uses them.
            for (; c + 3 < hidden; c += 4) {
                int t0 = c * columns;
                int t1 = t0 + columns;
                int t2 = t1 + columns;
                int t3 = t2 + columns;
                for (int b = 0; b < count; b++) {
                    float[] h = vectors[b];
                    float[] row = scores[b];
                    float h0 = h[c];
                    float h1 = h[c + 1];
                    float h2 = h[c + 2];
                    float h3 = h[c + 3];
                    for (int item = tile; item < end; item++) {
                        row[item] += h0 * itemTableByDimension[t0 + item] + h1 * itemTableByDimension[t1 + item]
                                + h2 * itemTableByDimension[t2 + item] + h3 * itemTableByDimension[t3 + item];
                    }
                }
            }
            for (; c < hidden; c++) {
                int t = c * columns;
                for (int b = 0; b < count; b++) {
                    float hc = vectors[b][c];
                    float[] row = scores[b];
                    for (int item = tile; item < end; item++) {
                        row[item] += hc * itemTableByDimension[t + item];
                    }
                }
            }
        }
        for (int b = 0; b < count; b++) {
            scores[b][0] = Float.NEGATIVE_INFINITY;
        }
    }

    /** Scores every item for one history (convenience for evaluation and tests). */
    public float[] score(int[] history) {
        float[][] scores = new float[1][numItems + 1];
        scoreAll(new float[][] {encode(history)}, 1, scores);
        return scores[0];
    }

    /**
     * The best k items of a score row, skipping the excluded dense ids (which are overwritten in {@code scores}).
     */
    public List<ScoredItem> best(float[] scores, int k, int[] excluded) {
        for (int id : excluded) {
            scores[id] = Float.NEGATIVE_INFINITY;
        }
        int[] ids = TopK.select(scores, 1, k);
        List<ScoredItem> result = new ArrayList<>(ids.length);
        for (int id : ids) {
            result.add(new ScoredItem(items.externalId(id), scores[id]));
        }
        return result;
    }

    /** The k items trained on most often, skipping excluded dense ids; the score is the training count. */
    public List<ScoredItem> popular(int k, int[] excluded) {
        int[] sortedExcluded = excluded.clone();
        Arrays.sort(sortedExcluded);
        List<ScoredItem> result = new ArrayList<>(Math.min(k, numItems));
        for (int i = 0; i < popularityRanking.length && result.size() < k; i++) {
            int id = popularityRanking[i];
            if (Arrays.binarySearch(sortedExcluded, id) < 0) {
                result.add(new ScoredItem(items.externalId(id), popularityCounts[id]));
            }
        }
        return result;
    }

    /** The k items whose embeddings have the highest cosine similarity to the given item's, itself excluded. */
    public List<ScoredItem> similar(int denseId, int k) {
        int columns = numItems + 1;
        float[] scores = new float[columns];
        for (int c = 0; c < hidden; c++) {
            float value = itemTableByDimension[c * columns + denseId];
            int rowOff = c * columns;
            for (int item = 0; item < columns; item++) {
                scores[item] += value * itemTableByDimension[rowOff + item];
            }
        }
        float norm = itemNorms[denseId];
        for (int item = 1; item < columns; item++) {
            float denominator = norm * itemNorms[item];
            scores[item] = denominator == 0f ? 0f : scores[item] / denominator;
        }
        scores[0] = Float.NEGATIVE_INFINITY;
        return best(scores, k, new int[] {denseId});
    }
}
