package dev.seqrec.vision.train;

import dev.seqrec.vision.augment.AugmentationConfig;

/**
 * SimCLR-style training settings.
 *
 * @param loss             the contrastive loss
 * @param temperature      tau of the loss; NaN takes the loss's default
 * @param epochs           passes over the (possibly limited) training images
 * @param batchSize        images per step (each gives two views, so 2 x batchSize encoder passes)
 * @param learningRate     Adam step size
 * @param imagesPerEpoch   images drawn per epoch (0: the whole train split)
 * @param seed             seeds shuffling and augmentation
 * @param augmentation     the random view transformations
 */
public record SimClrConfig(VisionLoss loss, double temperature, int epochs, int batchSize, double learningRate,
                           int imagesPerEpoch, long seed, AugmentationConfig augmentation) {

    public static SimClrConfig defaults() {
        return new SimClrConfig(VisionLoss.INFONCE, Double.NaN, 3, 256, 1e-3, 0, 1L, AugmentationConfig.defaults());
    }

    public SimClrConfig {
        if (epochs < 0 || batchSize < 2 || imagesPerEpoch < 0) {
            throw new IllegalArgumentException("epochs and imagesPerEpoch must be >= 0 and batchSize >= 2");
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
        }
        if (!Double.isNaN(temperature) && !(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
    }

    /** The temperature actually used. */
    public double effectiveTemperature() {
        return Double.isNaN(temperature) ? loss.defaultTemperature() : temperature;
    }
}
