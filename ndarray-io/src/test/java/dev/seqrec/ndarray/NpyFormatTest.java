package dev.seqrec.ndarray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NpyFormatTest {
    private static INDArray roundTrip(INDArray array) throws Exception {
        return NpyFormat.read(Nd4j.toNpyByteArray(array), "t.npy");
    }

    @Test
    void readsWhatNd4jWritesInEveryElementType() throws Exception {
        INDArray floats = Nd4j.linspace(1, 6, 6, DataType.FLOAT).reshape(2, 3);
        assertEquals(floats, roundTrip(floats));
        INDArray doubles = Nd4j.linspace(1, 24, 24, DataType.DOUBLE).reshape(2, 3, 4);
        assertEquals(doubles, roundTrip(doubles));
        INDArray ints = Nd4j.createFromArray(new int[] {7, -1, 3});
        assertEquals(ints, roundTrip(ints));
        INDArray longs = Nd4j.createFromArray(new long[] {1L << 40, 2});
        assertEquals(longs, roundTrip(longs));
    }

    @Test
    void readsFortranOrderIntoTheSameValues() throws Exception {
        // numpy.asfortranarray([[1, 2, 3], [4, 5, 6]], dtype='<f4') saved: the data column by column
        String header = "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }";
        float[] columnMajor = {1, 4, 2, 5, 3, 6};
        INDArray read = NpyFormat.read(npy(header, columnMajor), "f.npy");
        assertArrayEquals(new long[] {2, 3}, read.shape());
        assertEquals(Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}}), read);
    }

    @Test
    void aTruncatedFileIsAnErrorNamingIt() throws Exception {
        byte[] whole = Nd4j.toNpyByteArray(Nd4j.ones(DataType.FLOAT, 4, 4));
        IOException e = assertThrows(IOException.class,
                () -> NpyFormat.read(Arrays.copyOf(whole, whole.length - 5), "w.npy"));
        assertTrue(e.getMessage().startsWith("w.npy holds") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void bytesThatAreNotNpyAreAnError() {
        IOException e = assertThrows(IOException.class,
                () -> NpyFormat.read("hello".getBytes(StandardCharsets.US_ASCII), "x.npy"));
        assertEquals("x.npy is not a NumPy .npy file", e.getMessage());
    }

    /** A corrupt checkpoint's header must fail as an IOException, which its readers catch, not an unchecked one. */
    @Test
    void aHeaderWithAShapeOrWidthBeyondWhatAFileHoldsIsAnIOException() {
        for (String header : List.of("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }",
                "{'descr': '<f99999999999', 'fortran_order': False, 'shape': (1,), }")) {
            IOException e = assertThrows(IOException.class, () -> NpyFormat.read(npy(header, new float[0]), "c.npy"));
            assertTrue(e.getMessage().endsWith("is beyond what a file can hold (corrupt header)"), e.getMessage());
        }
    }

    private static byte[] npy(String header, float[] values) {
        byte[] text = header.getBytes(StandardCharsets.US_ASCII);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + text.length + 4 * values.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) text.length).put(text);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }
}
