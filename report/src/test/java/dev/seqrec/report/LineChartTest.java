package dev.seqrec.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineChartTest {
    @TempDir
    Path dir;

    private static LineChart twoCurves() {
        return new LineChart("Validation MRR@10", "epoch", "MRR@10")
                .addSeries("sasrec", new double[] {0.010, 0.020, 0.025, 0.027})
                .addSeries("mclrec", new double[] {0.012, 0.024, 0.030, 0.033});
    }

    @Test
    void pngDecodesWithTheRequestedSize() throws IOException {
        Path file = dir.resolve("charts/mrr.png");
        twoCurves().writePng(file, 640, 400);
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(640, image.getWidth());
        assertEquals(400, image.getHeight());
        try (var listing = Files.list(file.getParent())) {
            assertEquals(1, listing.count(), "no temporary file is left beside the chart");
        }
    }

    @Test
    void eachSeriesIsDrawnInItsOwnColour() {
        BufferedImage image = twoCurves().render(640, 400);
        assertTrue(containsColour(image, 0x1f77b4), "first series colour");
        assertTrue(containsColour(image, 0xff7f0e), "second series colour");
    }

    @Test
    void anEmptyChartStillRenders() {
        BufferedImage image = new LineChart("nothing yet", "epoch", "loss").render(200, 100);
        assertEquals(200, image.getWidth());
    }

    @Test
    void ticksAreNiceRoundNumbersCoveringTheRange() {
        assertArrayEquals(new double[] {0, 0.01, 0.02, 0.03, 0.04}, LineChart.niceTicks(0.003, 0.033), 1e-12);
        assertArrayEquals(new double[] {0, 20, 40, 60, 80, 100}, LineChart.niceTicks(1, 100), 1e-12);
    }

    @Test
    void seriesOfDifferentLengthsAreRejected() {
        LineChart chart = new LineChart("t", "x", "y");
        assertThrows(IllegalArgumentException.class, () -> chart.addSeries("bad", new double[] {1, 2}, new double[] {1}));
    }

    private static boolean containsColour(BufferedImage image, int rgb) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    return true;
                }
            }
        }
        return false;
    }
}
