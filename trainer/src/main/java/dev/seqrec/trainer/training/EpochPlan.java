package dev.seqrec.trainer.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The batches of one epoch: sample indices, every sample exactly once (spec section 2, see {@link Batching}). A short
 * last batch is kept, as the reference does, except a batch of one sample: it joins the batch before it, since the
 * contrastive terms need a second sample for their in-batch negatives (the reference would fail there too).
 */
public final class EpochPlan {
    private EpochPlan() {
    }

    public static List<int[]> batches(int[][] histories, int batchSize, Batching batching, int bucketBatches, Random random) {
        int[] order = SequenceAugmentation.permutation(histories.length, random);
        List<int[]> batches = new ArrayList<>();
        if (batching == Batching.UNIFORM) {
            for (int start = 0; start < order.length; start += batchSize) {
                batches.add(Arrays.copyOfRange(order, start, (int) Math.min(order.length, (long) start + batchSize)));
            }
            joinLoneLastSample(batches);
            return batches;
        }
        // in long: batch size times batches per window can pass Integer.MAX_VALUE; a window never needs to be larger
        // than the epoch
        int window = (int) Math.min(order.length, (long) batchSize * bucketBatches);
        for (int start = 0; start < order.length; start += window) {
            Integer[] bucket = new Integer[Math.min(order.length - start, window)];
            for (int i = 0; i < bucket.length; i++) {
                bucket[i] = order[start + i];
            }
            Arrays.sort(bucket, Comparator.comparingInt(i -> histories[i].length));
            for (int b = 0; b < bucket.length; b += batchSize) {
                int end = (int) Math.min(bucket.length, (long) b + batchSize);
                int[] batch = new int[end - b];
                for (int i = b; i < end; i++) {
                    batch[i - b] = bucket[i];
                }
                batches.add(batch);
            }
        }
        joinLoneLastSample(batches); // only the last window can be short
        int[] shuffled = SequenceAugmentation.permutation(batches.size(), random);
        List<int[]> result = new ArrayList<>(batches.size());
        for (int i : shuffled) {
            result.add(batches.get(i));
        }
        return result;
    }

    /** Merges a last batch of one sample into the one before it. */
    private static void joinLoneLastSample(List<int[]> batches) {
        int last = batches.size() - 1;
        if (last > 0 && batches.get(last).length == 1) {
            int[] previous = batches.get(last - 1);
            int[] joined = Arrays.copyOf(previous, previous.length + 1);
            joined[previous.length] = batches.remove(last)[0];
            batches.set(last - 1, joined);
        }
    }
}
