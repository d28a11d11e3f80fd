package dev.seqrec.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SequenceBatchTest {
    private static final int MAX_LENGTH = 50;

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void scatterAddSumsRepeatedRowsAndLeavesThePaddingRowAlone(DataType type) {
        INDArray table = Nd4j.ones(type, 3, 2);
        INDArray gradient = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}, {5, 6}}).castTo(type);
        SequenceBatch.scatterAddRows(gradient, new int[] {2, 0, 2}, table, true);
        assertArrayEquals(new double[] {1, 1, 1, 1, 7, 9}, table.reshape(6).toDoubleVector());
    }

    @Test
    void aPositionSeesTheUnblankedItemsUpToItselfOrItsWholeWindowWhenAllAreBlanked() {
        SequenceBatch batch = SequenceBatch.of(new int[][] {{5, 0, 7}, {0, 0}}, MAX_LENGTH);
        int[] keys = new int[3];
        assertEquals(1, batch.visibleKeys(0, 1, keys)); // its own item is blanked
        assertEquals(0, keys[0]);
        assertEquals(2, batch.visibleKeys(0, 2, keys));
        assertArrayEquals(new int[] {0, 2}, Arrays.copyOf(keys, 2));
        assertEquals(2, batch.visibleKeys(1, 1, keys));
        assertArrayEquals(new int[] {0, 1}, Arrays.copyOf(keys, 2));
        // every position: 1 + 1 + 2 and 1 + 2; the last ones: 2 and 2
        assertEquals(7, batch.attendedPairs(false));
        assertEquals(4, batch.attendedPairs(true));
    }

    @Test
    void rowsOfOneLengthFormOneGroup() {
        SequenceBatch batch = SequenceBatch.of(histories(4, 3), MAX_LENGTH);
        assertArrayEquals(new int[][] {{0, 1, 2, 3}}, batch.lengthGroups());
    }

    @Test
    void lengthsCloseTogetherAreNotWorthASecondGroup() {
        // one group pads 128 rows by one item: far less than a group's overhead
        SequenceBatch batch = SequenceBatch.of(concat(histories(128, 7), histories(128, 8)), MAX_LENGTH);
        assertEquals(1, batch.lengthGroups().length);
    }

    @Test
    void aFewLongHistoriesAmongManyShortOnesRunApart() {
        // together 204 x 50 padded tokens; apart 200 x 1 + 4 x 50 plus one group's overhead
        int[][] histories = concat(histories(2, 50), concat(histories(200, 1), histories(2, 50)));
        int[][] groups = SequenceBatch.of(histories, MAX_LENGTH).lengthGroups();
        assertEquals(2, groups.length);
        assertEquals(200, groups[0].length);
        assertArrayEquals(new int[] {0, 1, 202, 203}, groups[1]);
    }

    @Test
    void everyRowIsInExactlyOneGroupShortestFirst() {
        int[][] histories = new int[300][];
        for (int i = 0; i < histories.length; i++) {
            histories[i] = new int[1 + (i * 37) % MAX_LENGTH];
            Arrays.fill(histories[i], 1);
        }
        SequenceBatch batch = SequenceBatch.of(histories, MAX_LENGTH);
        int[] seen = new int[histories.length];
        int previousLength = 0;
        for (int[] group : batch.lengthGroups()) {
            for (int row : group) {
                seen[row]++;
                assertEquals(true, batch.lengths()[row] >= previousLength, "rows in ascending length");
                previousLength = batch.lengths()[row];
            }
        }
        int[] once = new int[histories.length];
        Arrays.fill(once, 1);
        assertArrayEquals(once, seen);
    }

    @Test
    void selectedRowsKeepTheirItemsTrimmedToTheirOwnLongestHistory() {
        SequenceBatch batch = SequenceBatch.of(new int[][] {{1, 2, 3, 4}, {5}, {6, 7}}, MAX_LENGTH);
        SequenceBatch rows = batch.rows(new int[] {2, 1});
        assertEquals(2, rows.width());
        assertArrayEquals(new int[] {6, 7, 5, 0}, rows.ids());
        assertArrayEquals(new int[] {2, 1}, rows.lengths());
    }

    private static int[][] histories(int count, int length) {
        int[][] histories = new int[count][length];
        for (int[] h : histories) {
            Arrays.fill(h, 1);
        }
        return histories;
    }

    private static int[][] concat(int[][] a, int[][] b) {
        int[][] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
