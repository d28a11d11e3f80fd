package dev.seqrec.vision.augment;

import dev.seqrec.vision.data.ImageSet;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageAugmenterTest {

    private static final int SIDE = 28;

    private static ImageSet randomImages(int count) {
        Random random = new Random(1);
        float[] pixels = new float[count * SIDE * SIDE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        return new ImageSet(pixels, new int[count], count, SIDE, SIDE);
    }

    @Test
    void viewsKeepShapeAndStayInUnitRange() {
        ImageSet images = randomImages(50);
        int[] indices = new int[200];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = i % images.count();
        }
        float[] views = new ImageAugmenter(AugmentationConfig.defaults(), 3).views(images, indices);
        assertEquals(indices.length * SIDE * SIDE, views.length);
        for (float v : views) {
            assertTrue(v >= 0f && v <= 1f, "pixel " + v + " outside [0, 1]");
        }
    }

    @Test
    void identityConfigReturnsTheImageItself() {
        ImageSet images = randomImages(2);
        float[] views = new ImageAugmenter(AugmentationConfig.identity(), 3).views(images, new int[]{1, 0});
        float[] expected = new float[2 * SIDE * SIDE];
        System.arraycopy(images.pixels(), SIDE * SIDE, expected, 0, SIDE * SIDE);
        System.arraycopy(images.pixels(), 0, expected, SIDE * SIDE, SIDE * SIDE);
        assertArrayEquals(expected, views, 1e-6f);
    }

    @Test
    void certainFlipMirrorsEachRow() {
        ImageSet images = randomImages(1);
        AugmentationConfig flipOnly = new AugmentationConfig(0, 1, 1, 0, 1, 0, 0);
        float[] view = new ImageAugmenter(flipOnly, 3).views(images, new int[]{0});
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                assertEquals(images.pixels()[y * SIDE + x], view[y * SIDE + SIDE - 1 - x], 1e-6f);
            }
        }
    }

    @Test
    void sameSeedGivesSameViewsAndTwoDrawsDiffer() {
        ImageSet images = randomImages(4);
        int[] all = {0, 1, 2, 3};
        ImageAugmenter first = new ImageAugmenter(AugmentationConfig.defaults(), 11);
        ImageAugmenter second = new ImageAugmenter(AugmentationConfig.defaults(), 11);
        float[] viewA = first.views(images, all);
        assertArrayEquals(viewA, second.views(images, all));
        assertFalse(java.util.Arrays.equals(viewA, first.views(images, all)));
    }

    @Test
    void cropOfABrightSquareStaysBrightWhereTheCropLooks() {
        // A constant image stays constant (up to the zero border a shift brings in) under crops without noise.
        float[] pixels = new float[SIDE * SIDE];
        java.util.Arrays.fill(pixels, 0.5f);
        ImageSet grey = new ImageSet(pixels, new int[1], 1, SIDE, SIDE);
        AugmentationConfig cropOnly = new AugmentationConfig(1, 0.4, 4.0 / 3.0, 0, 0, 0, 0);
        float[] view = new ImageAugmenter(cropOnly, 5).views(grey, new int[]{0});
        for (float v : view) {
            assertEquals(0.5f, v, 1e-5f);
        }
    }
}
