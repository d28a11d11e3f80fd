package dev.seqrec.vision.augment;

import dev.seqrec.vision.data.ImageSet;

import java.util.SplittableRandom;

/** Draws random views of grey images with values in [0, 1]; every view keeps the image's shape and range. */
public final class ImageAugmenter {

    private final AugmentationConfig config;
    private final SplittableRandom random;

    public ImageAugmenter(AugmentationConfig config, long seed) {
        this.config = config;
        this.random = new SplittableRandom(seed);
    }

    /** One random view of each listed image, concatenated in the order of {@code indices}. */
    public float[] views(ImageSet images, int[] indices) {
        int size = images.pixelsPerImage();
        float[] out = new float[indices.length * size];
        for (int i = 0; i < indices.length; i++) {
            augment(images.pixels(), indices[i] * size, out, i * size, images.height(), images.width());
        }
        return out;
    }

    /** Writes one random view of the image at {@code src[srcOffset..]} to {@code dst[dstOffset..]}. */
    public void augment(float[] src, int srcOffset, float[] dst, int dstOffset, int height, int width) {
        // The whole transformation is one inverse map from output pixel to source position, sampled bilinearly.
        double cropHeight = height;
        double cropWidth = width;
        double top = 0;
        double left = 0;
        if (random.nextDouble() < config.cropProbability()) {
            double area = height * width * uniform(config.cropAreaMin(), 1.0);
            double logAspect = Math.log(config.cropAspectMax());
            double aspect = Math.exp(uniform(-logAspect, logAspect));
            cropWidth = Math.min(width, Math.sqrt(area * aspect));
            cropHeight = Math.min(height, Math.sqrt(area / aspect));
            top = uniform(0, height - cropHeight);
            left = uniform(0, width - cropWidth);
        }
        int shift = config.shiftPixels();
        int shiftY = shift == 0 ? 0 : random.nextInt(-shift, shift + 1);
        int shiftX = shift == 0 ? 0 : random.nextInt(-shift, shift + 1);
        boolean flip = random.nextDouble() < config.flipProbability();
        double gain = 1 + uniform(-config.intensityJitter(), config.intensityJitter());
        double scaleY = cropHeight / height;
        double scaleX = cropWidth / width;
        for (int y = 0; y < height; y++) {
            // Crop samples stay inside the image; only the shift brings in background.
            double sy = clamp(top + (y + 0.5) * scaleY - 0.5, height) + shiftY;
            for (int x = 0; x < width; x++) {
                int outX = flip ? width - 1 - x : x;
                double sx = clamp(left + (x + 0.5) * scaleX - 0.5, width) + shiftX;
                double value = gain * bilinear(src, srcOffset, height, width, sy, sx);
                if (config.noiseStd() > 0) {
                    value += config.noiseStd() * gaussian();
                }
                dst[dstOffset + y * width + outX] = (float) Math.min(1.0, Math.max(0.0, value));
            }
        }
    }

    private static double clamp(double position, int size) {
        return Math.min(size - 1, Math.max(0, position));
    }

    /** Bilinear sample; positions outside the image read as background (0). */
    private static double bilinear(float[] src, int offset, int height, int width, double y, double x) {
        int y0 = (int) Math.floor(y);
        int x0 = (int) Math.floor(x);
        double fy = y - y0;
        double fx = x - x0;
        return (1 - fy) * ((1 - fx) * pixel(src, offset, height, width, y0, x0) + fx * pixel(src, offset, height, width, y0, x0 + 1))
                + fy * ((1 - fx) * pixel(src, offset, height, width, y0 + 1, x0) + fx * pixel(src, offset, height, width, y0 + 1, x0 + 1));
    }

    private static double pixel(float[] src, int offset, int height, int width, int y, int x) {
        return y < 0 || y >= height || x < 0 || x >= width ? 0.0 : src[offset + y * width + x];
    }

    private double uniform(double low, double high) {
        return high <= low ? low : low + (high - low) * random.nextDouble();
    }

    private double gaussian() {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
