package dev.seqrec.vision.model;

import dev.seqrec.vision.data.ImageSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvEncoderTest {

    private static final ConvEncoderConfig SMALL = new ConvEncoderConfig(8, 8, 2, 3, 4, 3, 9L);

    private static ImageSet images(int count) {
        Random random = new Random(4);
        float[] pixels = new float[count * 64];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        return new ImageSet(pixels, new int[count], count, 8, 8);
    }

    @Test
    void representationHasOneNonNegativeRowPerImage() {
        INDArray features = new ConvEncoder(SameDiff.create(), SMALL).encode(images(7), 3, n -> { });
        assertArrayEquals(new long[]{7, 3 * 2 * 2}, features.shape());
        assertTrue(features.minNumber().doubleValue() >= 0);
    }

    @Test
    void batchSizeDoesNotChangeTheRepresentation() {
        ConvEncoder encoder = new ConvEncoder(SameDiff.create(), SMALL);
        INDArray inOneBatch = encoder.encode(images(7), 7, n -> { });
        INDArray inSmallBatches = encoder.encode(images(7), 2, n -> { });
        assertTrue(inOneBatch.equalsWithEps(inSmallBatches, 1e-5));
    }

    @Test
    void checkpointRoundTripGivesTheSameRepresentation(@TempDir Path dir) throws IOException {
        ConvEncoder encoder = new ConvEncoder(SameDiff.create(), SMALL);
        EncoderCheckpoint.save(encoder, dir);
        ConvEncoder loaded = EncoderCheckpoint.load(dir);
        assertEquals(SMALL, loaded.config());
        assertTrue(encoder.encode(images(3), 3, n -> { }).equalsWithEps(loaded.encode(images(3), 3, n -> { }), 1e-6));
    }

    @Test
    void loadingADirectoryThatIsNoCheckpointSaysSo(@TempDir Path dir) {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> EncoderCheckpoint.load(dir));
        assertTrue(e.getMessage().contains("not an encoder checkpoint"), e.getMessage());
    }

    @Test
    void aTruncatedWeightFileIsAnErrorNamingIt(@TempDir Path dir) throws IOException {
        EncoderCheckpoint.save(new ConvEncoder(SameDiff.create(), SMALL), dir);
        Path weight;
        try (var files = Files.list(dir)) {
            weight = files.filter(f -> f.toString().endsWith(".npy")).findFirst().orElseThrow();
        }
        byte[] whole = Files.readAllBytes(weight);
        Files.write(weight, Arrays.copyOf(whole, whole.length / 2)); // as a save cut short would leave it
        IOException e = assertThrows(IOException.class, () -> EncoderCheckpoint.load(dir));
        assertTrue(e.getMessage().contains(weight.getFileName().toString()) && e.getMessage().contains("truncated"),
                e.getMessage());
    }

    @Test
    void aSaveCutShortLeavesNoCompleteLookingCheckpoint(@TempDir Path dir) throws IOException {
        EncoderCheckpoint.save(new ConvEncoder(SameDiff.create(), SMALL), dir);
        ConvEncoder other = new ConvEncoder(SameDiff.create(), SMALL);
        Path firstWeight = dir.resolve(other.weightValues().keySet().iterator().next() + ".npy");
        Files.delete(firstWeight);
        Files.createDirectories(firstWeight); // the next save fails writing its first weight
        assertThrows(Exception.class, () -> EncoderCheckpoint.save(other, dir));
        // the earlier save's marker is gone, so the half-replaced weights are not taken for a checkpoint
        assertThrows(NoSuchFileException.class, () -> EncoderCheckpoint.load(dir));
    }
}
