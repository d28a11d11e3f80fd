package dev.seqrec.vision.data;

import java.util.Arrays;

/**
 * Grey images with integer labels. Pixels are row-major, one image after another, scaled to [0, 1].
 *
 * @param pixels {@code count * height * width} values in [0, 1]
 * @param labels one class label per image
 */
public record ImageSet(float[] pixels, int[] labels, int count, int height, int width) {

    public ImageSet {
        if (pixels.length != (long) count * height * width) {
            throw new IllegalArgumentException("pixels hold " + pixels.length + " values, expected "
                    + count + " x " + height + " x " + width);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException(labels.length + " labels for " + count + " images");
        }
    }

    public int pixelsPerImage() {
        return height * width;
    }

    /** Number of classes: one more than the largest label. */
    public int classCount() {
        return Arrays.stream(labels).max().orElse(-1) + 1;
    }

    /** The first {@code n} images (all of them when n is larger). */
    public ImageSet head(int n) {
        int kept = Math.min(n, count);
        return new ImageSet(Arrays.copyOf(pixels, kept * pixelsPerImage()), Arrays.copyOf(labels, kept),
                kept, height, width);
    }
}
