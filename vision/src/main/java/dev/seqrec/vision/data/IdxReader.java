package dev.seqrec.vision.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
        try (DataInputStream in = new DataInputStream(open(file))) {
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
            byte[] data = new byte[(int) size];
            int read = readData(in, data);
            if (read < data.length) {
                throw new IdxFormatException(file, "truncated: header promises " + size + " values, found " + read);
            }
            if (in.read() != -1) {
                throw new IdxFormatException(file, "has data after the " + size + " values its header promises");
            }
            return new Tensor(dims, data);
        } catch (EOFException e) {
            throw new IdxFormatException(file, "truncated header");
        } catch (IdxFormatException e) {
            throw e;
        } catch (IOException e) { // a damaged gzip stream: name the file, which the stream's own message does not
            throw new IdxFormatException(file, "unreadable (" + e.getMessage() + ")");
        }
    }

    /** Reads as much of the data as there is; a gzip stream cut short ends the data rather than failing. */
    private static int readData(InputStream in, byte[] data) throws IOException {
        int read = 0;
        try {
            while (read < data.length) {
                int n = in.read(data, read, data.length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
        } catch (EOFException e) {
            // GZIPInputStream's "Unexpected end of ZLIB input stream": the file is truncated, reported by the caller
        }
        return read;
    }

    private static InputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file));
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        boolean gzip = first >= 0 && second >= 0 && (first | (second << 8)) == GZIP_MAGIC;
        try {
            return gzip ? new GZIPInputStream(in) : in;
        } catch (IOException e) {
            in.close();
            throw new IdxFormatException(file, "broken gzip stream (" + e.getMessage() + ")");
        }
    }

    record Tensor(int[] dims, byte[] data) {
    }
}
