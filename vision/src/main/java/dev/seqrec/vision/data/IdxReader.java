package dev.seqrec.vision.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the format of MNIST and Fashion-MNIST), plain or gzip-compressed (detected from the content,
 * not the name). Only unsigned-byte data, which is what image and label files hold.
 */
public final class IdxReader {

    private static final int UNSIGNED_BYTE = 0x08;
    private static final int GZIP_MAGIC = 0x8b1f;
    private static final float PIXEL_MAX = 255f;
    /** The most values one array can hold (the JVM reserves a few header words). */
    private static final long MAX_VALUES = Integer.MAX_VALUE - 8;
    /** First size of the buffer that gzip data is read into; it doubles as data arrives (plain files: their size). */
    private static final int FIRST_CHUNK = 1 << 20;

    private IdxReader() {
    }

    /** Reads an images file (3 dimensions: count, rows, columns) and its labels file (1 dimension). */
    public static ImageSet read(Path imagesFile, Path labelsFile) throws IOException {
        Tensor images = readBytes(imagesFile, 3);
        Tensor labels = readBytes(labelsFile, 1);
        if (images.dims[0] != labels.dims[0]) {
            throw new IdxFormatException(labelsFile, "holds " + labels.dims[0] + " labels but "
                    + imagesFile.getFileName() + " holds " + images.dims[0] + " images");
        }
        float[] pixels = new float[images.data.length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (images.data[i] & 0xff) / PIXEL_MAX;
        }
        int[] classes = new int[labels.data.length];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = labels.data[i] & 0xff;
        }
        return new ImageSet(pixels, classes, images.dims[0], images.dims[1], images.dims[2]);
    }

    /** The dimensions and raw unsigned bytes of an IDX file with {@code expectedRank} dimensions. */
    static Tensor readBytes(Path file, int expectedRank) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such IDX file");
        }
        try (InputStream stream = open(file); DataInputStream in = new DataInputStream(stream)) {
            int[] dims = readHeader(file, in, expectedRank);
            long size = 1;
            for (int d : dims) {
                size *= d;
            }
            boolean plain = !(stream instanceof GZIPInputStream);
            if (plain) {
                // a plain file's size bounds the data: a header promising more is refused before any allocation
                long available = Files.size(file) - headerBytes(dims.length);
                if (available < size) {
                    throw new IdxFormatException(file, "truncated: header promises " + size + " values, found "
                            + Math.max(0, available));
                }
            }
            byte[] data = readData(in, (int) size, plain ? (int) size : FIRST_CHUNK);
            if (data.length < size) {
                throw new IdxFormatException(file, "truncated: header promises " + size + " values, found "
                        + data.length);
            }
            int next;
            try {
                next = in.read();
            } catch (EOFException e) { // GZIPInputStream reads its 8-byte trailer (CRC, size) after the data
                throw new IdxFormatException(file, "truncated gzip stream: all " + size
                        + " values are there but the gzip trailer (CRC and size) is missing");
            }
            if (next != -1) {
                throw new IdxFormatException(file, "has data after the " + size + " values its header promises");
            }
            return new Tensor(dims, data);
        } catch (IdxFormatException e) {
            throw e;
        } catch (IOException e) { // a damaged gzip stream: name the file, which the stream's own message does not
            throw new IdxFormatException(file, "unreadable (" + e.getMessage() + ")");
        }
    }

    /** Magic number and dimensions; an end of file inside them is a truncated header. */
    private static int[] readHeader(Path file, DataInputStream in, int expectedRank) throws IOException {
        try {
            int zeros = in.readUnsignedShort();
            int type = in.readUnsignedByte();
            int rank = in.readUnsignedByte();
            if (zeros != 0) {
                throw new IdxFormatException(file, "not an IDX file (magic number "
                        + String.format("0x%04x%02x%02x", zeros, type, rank) + ")");
            }
            if (type != UNSIGNED_BYTE) {
                throw new IdxFormatException(file, String.format(
                        "holds data of type 0x%02x, only unsigned bytes (0x08) are supported", type));
            }
            if (rank != expectedRank) {
                throw new IdxFormatException(file, "has " + rank + " dimensions, expected " + expectedRank);
            }
            int[] dims = new int[rank];
            long size = 1;
            for (int d = 0; d < rank; d++) {
                dims[d] = in.readInt();
                if (dims[d] <= 0) {
                    throw new IdxFormatException(file, "dimension " + d + " is " + dims[d]);
                }
                size *= dims[d];
                if (size > MAX_VALUES) { // checked at each step: the product of four ints can overflow a long
                    throw new IdxFormatException(file, "too large: its dimensions hold more than " + MAX_VALUES
                            + " values");
                }
            }
            return dims;
        } catch (EOFException e) {
            throw new IdxFormatException(file, "truncated header");
        }
    }

    /** Bytes of the magic number and of {@code rank} dimensions. */
    private static long headerBytes(int rank) {
        return 4 + 4L * rank;
    }

    /**
     * Reads up to {@code size} bytes, as many as there are; a gzip stream cut short ends the data rather than failing.
     * The buffer grows with what arrives, so a header that promises more than the stream holds costs no more memory
     * than the data itself.
     */
    private static byte[] readData(InputStream in, int size, int firstChunk) throws IOException {
        byte[] data = new byte[Math.min(size, firstChunk)];
        int read = 0;
        try {
            while (read < size) {
                if (read == data.length) {
                    data = Arrays.copyOf(data, (int) Math.min(size, 2L * data.length));
                }
                int n = in.read(data, read, data.length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
        } catch (EOFException e) {
            // GZIPInputStream's "Unexpected end of ZLIB input stream": the file is truncated, reported by the caller
        }
        return read == data.length ? data : Arrays.copyOf(data, read);
    }

    private static InputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file));
        try {
            in.mark(2);
            int first = in.read();
            int second = in.read();
            in.reset();
            boolean gzip = first >= 0 && second >= 0 && (first | (second << 8)) == GZIP_MAGIC;
            if (!gzip) {
                return in;
            }
            try {
                return new GZIPInputStream(in);
            } catch (IOException e) {
                throw new IdxFormatException(file, "broken gzip stream (" + e.getMessage() + ")");
            }
        } catch (IOException | RuntimeException e) { // closes the file whatever went wrong after opening it
            in.close();
            throw e;
        }
    }

    record Tensor(int[] dims, byte[] data) {
    }
}
