package dev.seqrec.contrastive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class EagerInfoNceTest {
    private static final InfoNceConfig DOT = InfoNceConfig.defaults();
    private static final InfoNceConfig COSINE_HALF = DOT.withSimilarity(Similarity.COSINE).withTemperature(0.5);

    @Test
    void dotProductAtTemperatureOneMatchesTheWorkedExample() {
        assertEquals(1.375590, new EagerInfoNce(DOT).valueAndGradients(WorkedExample.a(), WorkedExample.b()).value(), 1e-6);
    }

    @Test
    void cosineAtTemperatureHalfMatchesTheWorkedExample() {
        double value = new EagerInfoNce(COSINE_HALF).valueAndGradients(WorkedExample.a(), WorkedExample.b()).value();
        assertEquals(1.252459, value, 1e-6);
    }

    @Test
    void float32DotMatchesTheGraphOnRandomViews() {
        EagerPairLossCheck.assertMatchesGraph(new EagerInfoNce(DOT), new InfoNce(DOT),
                RandomViews.gaussian(11, 16, 8).castTo(DataType.FLOAT), RandomViews.gaussian(12, 16, 8).castTo(DataType.FLOAT));
    }

    @Test
    void float32CosineWithTemperatureMatchesTheGraphOnRandomViews() {
        EagerPairLossCheck.assertMatchesGraph(new EagerInfoNce(COSINE_HALF), new InfoNce(COSINE_HALF),
                RandomViews.gaussian(13, 16, 8).castTo(DataType.FLOAT), RandomViews.gaussian(14, 16, 8).castTo(DataType.FLOAT));
    }

    @Test
    void float64DotTemperatureMatchesTheGraph() {
        InfoNceConfig config = DOT.withTemperature(0.7);
        EagerPairLossCheck.assertMatchesGraph(new EagerInfoNce(config), new InfoNce(config),
                RandomViews.gaussian(15, 6, 4), RandomViews.gaussian(16, 6, 4));
    }

    @Test
    void batchesSpanningSeveralTilesOfTheGradientMatchTheGraph() {
        // 2B = 150 rows: the symmetrised dL/dS is processed in 64 x 64 tiles, the last one partial
        EagerPairLossCheck.assertMatchesGraph(new EagerInfoNce(DOT), new InfoNce(DOT),
                RandomViews.gaussian(17, 75, 3), RandomViews.gaussian(18, 75, 3));
    }

    @Test
    void dotGradientsMatchFiniteDifferences() {
        EagerPairLossCheck.assertMatchesFiniteDifferences(new EagerInfoNce(DOT.withTemperature(0.7)),
                RandomViews.gaussian(1, 4, 3), RandomViews.gaussian(2, 4, 3));
    }

    @Test
    void cosineGradientsMatchFiniteDifferences() {
        EagerPairLossCheck.assertMatchesFiniteDifferences(new EagerInfoNce(COSINE_HALF),
                RandomViews.gaussian(3, 4, 3), RandomViews.gaussian(4, 4, 3));
    }

    @Test
    void hardNegativeWeightingIsRejectedRatherThanIgnored() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> new EagerInfoNce(DOT.withHardNegativeBeta(1.0)));
        assertEquals("the eager InfoNCE has no hard-negative weighting, got beta 1.0", error.getMessage());
    }

    @Test
    void viewsOfDifferentShapesAreRejected() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> new EagerInfoNce(DOT).valueAndGradients(RandomViews.gaussian(1, 4, 3), RandomViews.gaussian(2, 3, 3)));
        assertEquals("the two views must have the same shape [B, d], got [4, 3] and [3, 3]", error.getMessage());
    }
}
