package dev.seqrec.trainer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
