package dev.seqrec.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class HostBuffersTest {

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void valuesWrittenToAnArrayReadBackInRowMajorOrder(DataType type) {
        double[] values = {1, 2, 3, 4, 5, 6};
        INDArray a = HostBuffers.ofThisThread().write(values, type, 3, 2);
        assertEquals(type, a.dataType());
        assertEquals(4.0, a.getDouble(1, 1));
        assertArrayEquals(values, Arrays.copyOf(HostBuffers.ofThisThread().read(a, 0), 6));
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void aViewIsReadAsItsOwnValuesNotItsParentsBuffer(DataType type) {
        INDArray parent = Nd4j.arange(12).castTo(type).reshape(3, 4);
        INDArray columns = parent.get(NDArrayIndex.all(), NDArrayIndex.interval(2, 4));
        assertArrayEquals(new double[] {2, 3, 6, 7, 10, 11},
                Arrays.copyOf(HostBuffers.ofThisThread().read(columns, 0), 6));
    }
}
