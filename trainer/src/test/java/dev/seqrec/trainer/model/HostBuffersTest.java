package dev.seqrec.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class HostBuffersTest {
    /** Two blocks of three rows, two columns: block 0 uses its first row, block 1 all three. */
    private static final int[] USED = {1, 3};

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void leadingRowsArePackedOneBlockAfterAnother(DataType type) {
        INDArray a = Nd4j.arange(12).castTo(type).reshape(6, 2);
        double[] packed = HostBuffers.ofThisThread().readLeadingRows(a, 0, 3, USED);
        assertArrayEquals(new double[] {0, 1, 6, 7, 8, 9, 10, 11}, Arrays.copyOf(packed, 8));
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void packedRowsGoBackToTheirBlocksWithZerosInTheUnusedRows(DataType type) {
        double[] packed = {1, 2, 3, 4, 5, 6, 7, 8};
        INDArray a = HostBuffers.ofThisThread().writeLeadingRows(packed, type, 3, USED, 2);
        assertEquals(type, a.dataType());
        assertArrayEquals(new double[] {1, 2, 0, 0, 0, 0, 3, 4, 5, 6, 7, 8}, a.data().asDouble());
    }
}
