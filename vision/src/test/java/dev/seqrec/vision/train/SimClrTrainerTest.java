package dev.seqrec.vision.train;

import dev.seqrec.vision.augment.AugmentationConfig;
import dev.seqrec.vision.data.FashionMnist;
import dev.seqrec.vision.data.ImageSet;
import dev.seqrec.vision.model.ConvEncoder;
import dev.seqrec.vision.model.ConvEncoderConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.autodiff.samediff.SameDiff;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimClrTrainerTest {

    private static final ConvEncoderConfig SMALL = new ConvEncoderConfig(28, 28, 4, 8, 32, 16, 3L);
    private static ImageSet images;

    @BeforeAll
    static void loadImages() throws IOException {
        images = FashionMnist.load(FashionMnist.DEBIAN_DIRECTORY).train().head(32);
    }

    @ParameterizedTest
    @EnumSource(VisionLoss.class)
    void oneStepLowersTheLossOnItsBatch(VisionLoss loss) {
        // Identity views make the batch's loss a deterministic function of the weights.
        SimClrConfig config = new SimClrConfig(loss, Double.NaN, 1, 32, 1e-3, 0, 1L, AugmentationConfig.identity());
        SimClrTrainer trainer = new SimClrTrainer(new ConvEncoder(SameDiff.create(), SMALL), config);
        int[] batch = new int[32];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = i;
        }
        double before = trainer.loss(images, batch);
        double reported = trainer.step(images, batch);
        double after = trainer.loss(images, batch);
        assertTrue(Math.abs(reported - before) < 1e-4 * Math.abs(before), "step reports the loss before its update");
        assertTrue(after < before, loss + ": loss " + before + " -> " + after);
    }

    @Test
    void trainingPrintsNoNd4jDifferentiationLinesOnStdoutAndLetsOtherLinesThrough() {
        SimClrConfig config = new SimClrConfig(VisionLoss.INFONCE, Double.NaN, 1, 8, 1e-3, 0, 1L,
                AugmentationConfig.identity());
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true));
        try {
            SimClrTrainer trainer = new SimClrTrainer(new ConvEncoder(SameDiff.create(), SMALL), config);
            trainer.step(images, new int[]{0, 1, 2, 3, 4, 5, 6, 7});
            System.out.println("a result line");
        } finally {
            System.setOut(original);
        }
        assertEquals("a result line" + System.lineSeparator(), captured.toString());
    }

    @Test
    void anEpochWithoutOneFullBatchIsRefusedNamingBoth() {
        SimClrConfig config = new SimClrConfig(VisionLoss.values()[0], Double.NaN, 1, 64, 1e-3, 0, 1L,
                AugmentationConfig.identity());
        SimClrTrainer trainer = new SimClrTrainer(new ConvEncoder(SameDiff.create(), SMALL), config);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.requireAFullBatch(images));
        assertEquals("batch size 64 exceeds the 32 training images of an epoch", e.getMessage());
    }
}
