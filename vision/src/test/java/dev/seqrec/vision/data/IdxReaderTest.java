package dev.seqrec.vision.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {

    @TempDir
    Path dir;

    /** Two 2x3 images. */
    private byte[] twoImages() throws IOException {
        return IdxFiles.idx(new int[]{2, 2, 3}, 0, 51, 102, 153, 204, 255, 255, 0, 0, 0, 0, 255);
    }

    @Test
    void readsPixelsScaledToUnitRangeAndLabels() throws IOException {
        Path images = IdxFiles.write(dir.resolve("i"), twoImages(), false);
        Path labels = IdxFiles.write(dir.resolve("l"), IdxFiles.idx(new int[]{2}, 7, 3), false);
        ImageSet set = IdxReader.read(images, labels);
        assertEquals(2, set.count());
        assertEquals(2, set.height());
        assertEquals(3, set.width());
        assertArrayEquals(new float[]{0f, 0.2f, 0.4f, 0.6f, 0.8f, 1f}, Arrays.copyOf(set.pixels(), 6), 1e-6f);
        assertArrayEquals(new int[]{7, 3}, set.labels());
    }

    @Test
    void gzipIsRecognisedByContentNotByName() throws IOException {
        Path images = IdxFiles.write(dir.resolve("images-without-gz-suffix"), twoImages(), true);
        Path labels = IdxFiles.write(dir.resolve("labels.gz"), IdxFiles.idx(new int[]{2}, 1, 2), true);
        assertEquals(1f, IdxReader.read(images, labels).pixels()[5]);
    }

    @Test
    void fileThatIsNotIdxIsRejectedNamingIt() throws IOException {
        Path images = IdxFiles.write(dir.resolve("notes.txt"), "hello, not an IDX file".getBytes(), false);
        Path labels = IdxFiles.write(dir.resolve("l"), IdxFiles.idx(new int[]{2}, 1, 2), false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(images, labels));
        assertTrue(e.getMessage().startsWith(images.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not an IDX file"), e.getMessage());
    }

    @Test
    void truncatedFileIsRejected() throws IOException {
        byte[] full = twoImages();
        Path images = IdxFiles.write(dir.resolve("short"), Arrays.copyOf(full, full.length - 1), true);
        Path labels = IdxFiles.write(dir.resolve("l"), IdxFiles.idx(new int[]{2}, 1, 2), false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(images, labels));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aGzipFileCutShortIsReportedAsTruncatedData() throws IOException {
        Path whole = IdxFiles.write(dir.resolve("whole.gz"), twoImages(), true);
        byte[] compressed = Files.readAllBytes(whole);
        Path images = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(compressed, compressed.length - 12));
        Path labels = IdxFiles.write(dir.resolve("l"), IdxFiles.idx(new int[]{2}, 1, 2), false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(images, labels));
        assertTrue(e.getMessage().startsWith(images.toString()) && e.getMessage().contains("truncated: header promises"),
                e.getMessage());
    }

    @Test
    void aGzipFileMissingOnlyItsTrailerSaysSoNotTruncatedHeader() throws IOException {
        Path whole = IdxFiles.write(dir.resolve("whole.gz"), IdxFiles.idx(new int[]{2}, 1, 2), true);
        byte[] compressed = Files.readAllBytes(whole);
        Path labels = Files.write(dir.resolve("notrailer.gz"), Arrays.copyOf(compressed, compressed.length - 8));
        Path images = IdxFiles.write(dir.resolve("i"), twoImages(), false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(images, labels));
        assertEquals(labels + ": truncated gzip stream: all 2 values are there but the gzip trailer (CRC and size) "
                + "is missing", e.getMessage());
    }

    @Test
    void aHeaderPromisingMoreThanAPlainFileHoldsIsTruncatedAndNothingOfThatSizeIsAllocated() throws IOException {
        Path labels = IdxFiles.write(dir.resolve("hugehdr"), hugeHeaderLabels(), false);
        assertTruncatedWithoutTheClaimedAllocation(labels);
    }

    @Test
    void aHeaderPromisingMoreThanAGzipStreamHoldsIsTruncatedAndNothingOfThatSizeIsAllocated() throws IOException {
        Path labels = IdxFiles.write(dir.resolve("hugehdr.gz"), hugeHeaderLabels(), true);
        assertTruncatedWithoutTheClaimedAllocation(labels);
    }

    /** A labels file whose header claims 2,000,000,000 labels and that holds 600. */
    private static byte[] hugeHeaderLabels() {
        return java.nio.ByteBuffer.allocate(8 + 600).putInt(0x00000801).putInt(2_000_000_000).array();
    }

    private void assertTruncatedWithoutTheClaimedAllocation(Path labels) throws IOException {
        Path images = IdxFiles.write(dir.resolve("i"), twoImages(), false);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(images, labels));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(labels + ": truncated: header promises 2000000000 values, found 600", e.getMessage());
        assertTrue(allocated < 64L << 20, "allocated " + allocated + " bytes for a 608-byte file");
    }

    @Test
    void aLabelOutsideTheTenClassesIsRefusedNamingTheFile() throws IOException {
        IdxFiles.write(dir.resolve("train-images-idx3-ubyte"), twoImages(), false);
        Path labels = IdxFiles.write(dir.resolve("train-labels-idx1-ubyte"), IdxFiles.idx(new int[]{2}, 3, 200), false);
        IdxFiles.write(dir.resolve("t10k-images-idx3-ubyte"), twoImages(), false);
        IdxFiles.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxFiles.idx(new int[]{2}, 1, 0), false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(dir));
        assertEquals(labels + ": label 200 (item 1) is outside 0-9: MNIST-style label files have 10 classes",
                e.getMessage());
    }

    @Test
    void dimensionsWhoseProductOverflowsAreRejected() throws IOException {
        byte[] header = java.nio.ByteBuffer.allocate(4 + 3 * 4).putInt(0x00000803)
                .putInt(65536).putInt(65536).putInt(65536).array();
        Path images = IdxFiles.write(dir.resolve("huge"), header, false);
        Path labels = IdxFiles.write(dir.resolve("l"), IdxFiles.idx(new int[]{2}, 1, 2), false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(images, labels));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
    }

    @Test
    void labelsFileWithTheWrongRankIsRejected() throws IOException {
        Path images = IdxFiles.write(dir.resolve("i"), twoImages(), false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(images, images));
        assertTrue(e.getMessage().contains("has 3 dimensions, expected 1"), e.getMessage());
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        Path images = IdxFiles.write(dir.resolve("i"), twoImages(), false);
        Path labels = IdxFiles.write(dir.resolve("l"), IdxFiles.idx(new int[]{3}, 1, 2, 3), false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(images, labels));
        assertTrue(e.getMessage().contains("3 labels but i holds 2 images"), e.getMessage());
    }

    @Test
    void directoryMissingAFileNamesTheFileItLookedFor() throws IOException {
        IdxFiles.write(dir.resolve("train-images-idx3-ubyte"), twoImages(), false);
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> FashionMnist.load(dir));
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte"), e.getMessage());
    }

    @Test
    void directoryWithDottedNamesLoads() throws IOException {
        IdxFiles.write(dir.resolve("train-images.idx3-ubyte"), twoImages(), false);
        IdxFiles.write(dir.resolve("train-labels.idx1-ubyte"), IdxFiles.idx(new int[]{2}, 0, 1), false);
        IdxFiles.write(dir.resolve("t10k-images-idx3-ubyte.gz"), twoImages(), true);
        IdxFiles.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxFiles.idx(new int[]{2}, 1, 0), true);
        FashionMnist.Splits splits = FashionMnist.load(dir);
        assertArrayEquals(new int[]{0, 1}, splits.train().labels());
        assertArrayEquals(new int[]{1, 0}, splits.test().labels());
    }

    @Test
    void debianFashionMnistHasSixtyThousandTrainAndTenThousandTestImagesOfTenClasses() throws IOException {
        FashionMnist.Splits splits = FashionMnist.load(FashionMnist.DEBIAN_DIRECTORY);
        assertEquals(60_000, splits.train().count());
        assertEquals(10_000, splits.test().count());
        assertEquals(28, splits.train().height());
        assertEquals(28, splits.train().width());
        assertEquals(10, splits.train().classCount());
        assertEquals(FashionMnist.CLASS_NAMES.size(), splits.test().classCount());
    }
}
