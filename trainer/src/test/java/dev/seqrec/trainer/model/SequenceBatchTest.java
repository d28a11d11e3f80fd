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
    void eachHistorysPositionsArePackedOneHistoryAfterAnother() {
        SequenceBatch batch = SequenceBatch.of(new int[][] {{1, 2, 3, 4}, {5}, {6, 7}}, MAX_LENGTH);
        assertEquals(7, batch.positions());
        assertArrayEquals(new int[] {0, 4, 5, 7}, new int[] {batch.firstRow(0), batch.firstRow(1), batch.firstRow(2),
            batch.firstRow(3)});
    }

    @Test
    void stackedBatchesOfDifferentWidthsPackEveryHistorysPositions() {
        SequenceBatch stacked = SequenceBatch.stack(SequenceBatch.of(new int[][] {{1, 2, 3}}, MAX_LENGTH),
                SequenceBatch.of(new int[][] {{4}, {5, 6}}, MAX_LENGTH));
        assertEquals(6, stacked.positions());
        assertArrayEquals(new int[] {0, 3, 4, 6}, new int[] {stacked.firstRow(0), stacked.firstRow(1),
            stacked.firstRow(2), stacked.firstRow(3)});
    }

    @Test
    void thePackedRowsGradientGoesToTheirItemsAndPositionsAndNotToBlankedItems() {
        // packed rows: item 1 at position 0, blanked at 1, item 2 at 2; item 2 at position 0
        SequenceBatch batch = SequenceBatch.of(new int[][] {{1, 0, 2}, {2}}, MAX_LENGTH);
        INDArray gradient = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}, {5, 6}, {7, 8}});
        INDArray items = Nd4j.zeros(DataType.DOUBLE, 3, 2);
        INDArray positions = Nd4j.zeros(DataType.DOUBLE, 3, 2);
        batch.accumulateEmbeddingGradient(gradient, items, positions);
        assertArrayEquals(new double[] {0, 0, 1, 2, 12, 14}, items.reshape(6).toDoubleVector());
        assertArrayEquals(new double[] {8, 10, 3, 4, 5, 6}, positions.reshape(6).toDoubleVector());
    }
}
