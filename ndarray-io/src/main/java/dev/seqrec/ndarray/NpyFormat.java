package dev.seqrec.ndarray;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads NumPy {@code .npy} arrays from bytes already in memory. libnd4j's own reader opens the file itself and
 * crashes the JVM (a segmentation fault in native code) when the file is missing, truncated, or removed while it
 * reads, as when a training run replaces a checkpoint that a server is loading; this one fails with a message.
 * Little-endian float32, float64, int32 and int64 arrays of any shape, in C or Fortran order.
 */
public final class NpyFormat {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Magic, major and minor version, then the header length: 2 bytes in format 1, 4 in formats 2 and 3. */
    private static final int HEADER_LENGTH_AT = MAGIC.length + 2;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([fi])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyFormat() {
    }

    /** Reads a whole file; a missing file is a {@link java.nio.file.NoSuchFileException}. */
    public static INDArray read(Path file) throws IOException {
        return read(Files.readAllBytes(file), file.toString());
    }

    /**
     * @param bytes the whole file
     * @param name  what to call it in an error
     */
    public static INDArray read(byte[] bytes, String name) throws IOException {
        if (bytes.length < HEADER_LENGTH_AT + Short.BYTES
                || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IOException(name + " is not a NumPy .npy file");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[MAGIC.length];
        int headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(buffer.getShort(HEADER_LENGTH_AT));
            headerStart = HEADER_LENGTH_AT + Short.BYTES;
        } else if ((major == 2 || major == 3) && bytes.length >= HEADER_LENGTH_AT + Integer.BYTES) {
            headerLength = buffer.getInt(HEADER_LENGTH_AT);
            headerStart = HEADER_LENGTH_AT + Integer.BYTES;
        } else {
            throw new IOException(name + ": NumPy format version " + major + " is not supported");
        }
        if (headerLength < 0 || headerStart + (long) headerLength > bytes.length) {
            throw new IOException(name + " is truncated (its header runs past the end of the file)");
        }
        String header = new String(bytes, headerStart, headerLength, StandardCharsets.UTF_8);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shapeText = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shapeText.find()) {
            throw new IOException(name + ": unreadable .npy header " + header.strip());
        }
        if (descr.group(1).equals(">")) {
            throw new IOException(name + ": big-endian arrays are not supported");
        }
        long[] shape = shape(shapeText.group(1), name);
        long count = 1;
        int width;
        long dataBytes;
        try { // a corrupt header's numbers must say so, not escape as unchecked exceptions
            for (long dim : shape) {
                count = Math.multiplyExact(count, dim);
            }
            width = Integer.parseInt(descr.group(3));
            dataBytes = Math.multiplyExact(count, width);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IOException(name + ": shape " + Arrays.toString(shape) + " of " + descr.group(2)
                    + descr.group(3) + " is beyond what a file can hold (corrupt header)");
        }
        String type = descr.group(2) + width;
        int dataStart = headerStart + headerLength;
        if (bytes.length - dataStart != dataBytes) {
            throw new IOException(name + " holds " + (bytes.length - dataStart) + " bytes of data where its shape "
                    + Arrays.toString(shape) + " of " + type + " needs " + dataBytes
                    + " (truncated or corrupt)");
        }
        if (count > Integer.MAX_VALUE) {
            throw new IOException(name + " is too large to load (" + count + " values)");
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        char order = fortran.group(1).equals("True") ? 'f' : 'c';
        INDArray array = switch (type) {
            case "f4" -> {
                float[] values = new float[(int) count];
                data.asFloatBuffer().get(values);
                yield Nd4j.create(values, shape, order);
            }
            case "f8" -> {
                double[] values = new double[(int) count];
                data.asDoubleBuffer().get(values);
                yield Nd4j.create(values, shape, order);
            }
            case "i4" -> {
                int[] values = new int[(int) count];
                data.asIntBuffer().get(values);
                yield Nd4j.createFromArray(values).reshape(order, shape);
            }
            case "i8" -> {
                long[] values = new long[(int) count];
                data.asLongBuffer().get(values);
                yield Nd4j.createFromArray(values).reshape(order, shape);
            }
            default -> throw new IOException(name + ": element type " + type + " is not supported");
        };
        return order == 'c' ? array : array.dup('c');
    }

    private static long[] shape(String text, String name) throws IOException {
        String[] parts = text.split(",");
        List<Long> dims = new ArrayList<>();
        for (String part : parts) {
            if (!part.isBlank()) {
                try {
                    long dim = Long.parseLong(part.strip());
                    if (dim < 0) {
                        throw new NumberFormatException();
                    }
                    dims.add(dim);
                } catch (NumberFormatException e) {
                    throw new IOException(name + ": unreadable shape (" + text + ")");
                }
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }
}
