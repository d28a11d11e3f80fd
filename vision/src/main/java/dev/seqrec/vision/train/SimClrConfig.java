package dev.seqrec.vision.train;

import dev.seqrec.vision.augment.AugmentationConfig;

/**
 * SimCLR-style training settings.
 *
 * @param loss             the contrastive loss
 * @param temperature      tau of the loss, finite and > 0; NaN takes the loss's default
 * @param epochs           passes over the (possibly limited) training images
 * @param batchSize        images per step (each gives two views, so 2 x batchSize encoder passes)
 * @param learningRate     Adam step size
 * @param imagesPerEpoch   images drawn per epoch (0: the whole train split)
 * @param seed             seeds shuffling and augmentation (the initial weights have their own,
 *                         {@code ConvEncoderConfig.seed}; {@code vision train}'s --seed and --init-seed)
 * @param augmentation     the random view transformations
 */
public record SimClrConfig(VisionLoss loss, double temperature, int epochs, int batchSize, double learningRate,
                           int imagesPerEpoch, long seed, AugmentationConfig augmentation) {

    public static SimClrConfig defaults() {
        return new SimClrConfig(VisionLoss.INFONCE, Double.NaN, 3, 256, 1e-3, 0, 1L, AugmentationConfig.defaults());
    }

    public SimClrConfig {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        if (batchSize < 2) {
            throw new IllegalArgumentException("batchSize must be >= 2, got " + batchSize);
        }
        if (imagesPerEpoch < 0) {
            throw new IllegalArgumentException("imagesPerEpoch must be >= 0, got " + imagesPerEpoch);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a finite number > 0, got " + learningRate);
        }
        if (!Double.isNaN(temperature) && !(temperature > 0 && Double.isFinite(temperature))) {
            throw new IllegalArgumentException("temperature must be a finite number > 0, got " + temperature);
        }
    }

    /** The temperature actually used. */
    public double effectiveTemperature() {
        return Double.isNaN(temperature) ? loss.defaultTemperature() : temperature;
    }
}
