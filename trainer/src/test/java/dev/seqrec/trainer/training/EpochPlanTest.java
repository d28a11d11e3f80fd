package dev.seqrec.trainer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EpochPlanTest {
    private static int[][] histories(int count) {
        int[][] histories = new int[count][];
        for (int i = 0; i < count; i++) {
            histories[i] = new int[1 + i % 5];
        }
        return histories;
    }

    private static int[] sizes(List<int[]> batches) {
        return batches.stream().mapToInt(b -> b.length).toArray();
    }

    private static int[] everySample(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).sorted().toArray();
    }

    @Test
    void uniformBatchesKeepAShortLastBatch() {
        List<int[]> batches = EpochPlan.batches(histories(10), 4, Batching.UNIFORM, 1, new Random(1));
        assertArrayEquals(new int[] {4, 4, 2}, sizes(batches));
        assertArrayEquals(IntStream.range(0, 10).toArray(), everySample(batches));
    }

    @Test
    void aLastBatchOfOneSampleJoinsTheBatchBeforeIt() {
        List<int[]> batches = EpochPlan.batches(histories(9), 4, Batching.UNIFORM, 1, new Random(1));
        assertArrayEquals(new int[] {4, 5}, sizes(batches));
        assertArrayEquals(IntStream.range(0, 9).toArray(), everySample(batches));
    }

    @Test
    void lengthBucketsHaveNoBatchOfOneSampleEither() {
        // windows of 2 batches of 4: 9 samples = one full window and a window of one sample
        List<int[]> batches = EpochPlan.batches(histories(9), 4, Batching.LENGTH_BUCKETS, 2, new Random(1));
        assertEquals(2, batches.size());
        assertArrayEquals(IntStream.range(0, 9).toArray(), everySample(batches));
    }

    @Test
    void lengthBucketWindowsLargerThanAnIntStillCoverTheEpoch() {
        // 256 x 10,000,000 overflowed int: a negative window size
        List<int[]> batches = EpochPlan.batches(histories(10), 256, Batching.LENGTH_BUCKETS, 10_000_000, new Random(1));
        assertArrayEquals(new int[] {10}, sizes(batches));
        assertArrayEquals(IntStream.range(0, 10).toArray(), everySample(batches));
    }

    @Test
    void lengthBucketsGiveBatchesOfNeighbouringLengthsNotOneLengthEach() {
        // What the help and Javadoc promise: each window sorted by length, then cut. 12 samples of lengths 1-5 in
        // one window of 3 batches of 4: lengths do not overlap between batches except at a boundary, but a batch
        // that straddles one holds two lengths
        int[][] histories = histories(12);
        List<int[]> batches = EpochPlan.batches(histories, 4, Batching.LENGTH_BUCKETS, 3, new Random(1));
        batches.sort(java.util.Comparator.comparingInt(b -> Arrays.stream(b).map(i -> histories[i].length).min()
                .orElseThrow()));
        int previousMax = 0;
        int mixed = 0;
        for (int[] batch : batches) {
            int min = Arrays.stream(batch).map(i -> histories[i].length).min().orElseThrow();
            int max = Arrays.stream(batch).map(i -> histories[i].length).max().orElseThrow();
            assertTrue(min >= previousMax, "batches overlap in length");
            previousMax = max;
            mixed += min == max ? 0 : 1;
        }
        assertTrue(mixed > 0, "12 samples of 5 lengths cannot make one length per batch of 4");
    }
}
