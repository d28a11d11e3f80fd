package dev.seqrec.vision.augment;

/**
 * The SimCLR-style random transformations for small grey images, each applied independently per view.
 *
 * @param cropProbability   chance of a random resized crop (a sub-window stretched back to full size)
 * @param cropAreaMin       smallest crop area, as a fraction of the image
 * @param cropAspectMax     largest width/height ratio of a crop (its inverse is the smallest)
 * @param shiftPixels       random translation of up to this many source pixels (zero padding), as "pad and crop"
 *                          does; after a crop, which scales the view up, that is up to shiftPixels / sqrt(area
 *                          share) output pixels (2.6 with the defaults)
 * @param flipProbability   chance of a left-right mirror
 * @param intensityJitter   pixel intensities scaled by a factor drawn from [1 - j, 1 + j]
 * @param noiseStd          standard deviation of the added Gaussian pixel noise (results clipped to [0, 1])
 */
public record AugmentationConfig(double cropProbability, double cropAreaMin, double cropAspectMax, int shiftPixels,
                                 double flipProbability, double intensityJitter, double noiseStd) {

    /**
     * Defaults for 28x28 Fashion-MNIST, milder than SimCLR's: half the views are cropped, keeping at least 60% of
     * the garment (smaller crops cut away what tells a shirt from a T-shirt), intensity 0.8-1.2, faint noise.
     */
    public static AugmentationConfig defaults() {
        return new AugmentationConfig(0.5, 0.6, 4.0 / 3.0, 2, 0.5, 0.2, 0.02);
    }

    /** No transformation at all: each view is the image itself. */
    public static AugmentationConfig identity() {
        return new AugmentationConfig(0, 1, 1, 0, 0, 0, 0);
    }

    public AugmentationConfig {
        requireProbability("cropProbability", cropProbability);
        requireProbability("flipProbability", flipProbability);
        if (!(cropAreaMin > 0 && cropAreaMin <= 1)) {
            throw new IllegalArgumentException("cropAreaMin must be in (0, 1], got " + cropAreaMin);
        }
        if (!(cropAspectMax >= 1)) {
            throw new IllegalArgumentException("cropAspectMax must be at least 1, got " + cropAspectMax);
        }
        if (shiftPixels < 0 || intensityJitter < 0 || intensityJitter >= 1 || noiseStd < 0) {
            throw new IllegalArgumentException("shiftPixels and noiseStd must be >= 0 and intensityJitter in [0, 1)");
        }
    }

    private static void requireProbability(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + p);
        }
    }
}
