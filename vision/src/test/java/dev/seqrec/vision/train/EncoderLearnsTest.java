package dev.seqrec.vision.train;

import dev.seqrec.vision.augment.AugmentationConfig;
import dev.seqrec.vision.data.FashionMnist;
import dev.seqrec.vision.model.ConvEncoder;
import dev.seqrec.vision.model.ConvEncoderConfig;
import dev.seqrec.vision.probe.KnnProbe;
import dev.seqrec.vision.probe.ProbeConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a minute of training on a small subset can show: the contrastive objective generalises to unseen images,
 * and the frozen features classify far better than chance. (Beating raw pixels needs the full benchmark.)
 */
class EncoderLearnsTest {

    private static final int TRAIN_IMAGES = 512;
    private static final int TEST_IMAGES = 256;
    private static final int BATCH = 64;
    private static final int EPOCHS = 2;
    private static final double CHANCE = 0.1;

    private static FashionMnist.Splits data;
    private static ConvEncoder encoder;
    private static SimClrTrainer trainer;
    private static double heldOutLossBefore;
    private static double heldOutLossAfter;

    @BeforeAll
    static void trainBriefly() throws IOException {
        FashionMnist.Splits all = FashionMnist.load(FashionMnist.DEBIAN_DIRECTORY);
        data = new FashionMnist.Splits(all.train().head(TRAIN_IMAGES), all.test().head(TEST_IMAGES));
        encoder = new ConvEncoder(SameDiff.create(), new ConvEncoderConfig(28, 28, 8, 16, 64, 32, 5L));
        trainer = new SimClrTrainer(encoder, new SimClrConfig(VisionLoss.INFONCE, Double.NaN, EPOCHS, BATCH, 2e-3, 0,
                5L, AugmentationConfig.defaults()));
        heldOutLossBefore = heldOutLoss();
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            trainer.trainEpoch(data.train(), loss -> { });
        }
        heldOutLossAfter = heldOutLoss();
    }

    /** Mean loss over fresh views of the held-out test images, averaged over a few draws. */
    private static double heldOutLoss() {
        double sum = 0;
        int batches = TEST_IMAGES / BATCH;
        for (int b = 0; b < batches; b++) {
            int[] batch = new int[BATCH];
            for (int i = 0; i < BATCH; i++) {
                batch[i] = b * BATCH + i;
            }
            sum += trainer.loss(data.test(), batch);
        }
        return sum / batches;
    }

    @Test
    void contrastiveLossOnUnseenImagesDrops() {
        assertTrue(heldOutLossAfter < heldOutLossBefore - 0.25,
                "held-out loss " + heldOutLossBefore + " -> " + heldOutLossAfter);
    }

    @Test
    void knnOnFrozenFeaturesIsFarAboveChance() {
        double accuracy = new KnnProbe(ProbeConfig.defaults()).accuracy(
                encoder.encode(data.train(), BATCH, n -> { }), data.train().labels(),
                encoder.encode(data.test(), BATCH, n -> { }), data.test().labels(), n -> { });
        assertTrue(accuracy > 5 * CHANCE, "k-NN accuracy " + accuracy);
    }
}
