package dev.seqrec.contrastive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class EagerMclrecRegularizerTest {
    private static final MclrecRegularizerConfig DOT = MclrecRegularizerConfig.defaults();

    @Test
    void dotProductMatchesTheWorkedExample() {
        double value = new EagerMclrecRegularizer(DOT).valueAndGradients(WorkedExample.a(), WorkedExample.b()).value();
        assertEquals(0.533333, value, 1e-6);
    }

    @Test
    void float32MatchesTheGraphOnRandomViews() {
        EagerPairLossCheck.assertMatchesGraph(new EagerMclrecRegularizer(DOT), new MclrecRegularizer(DOT),
                RandomViews.gaussian(21, 16, 8).castTo(DataType.FLOAT), RandomViews.gaussian(22, 16, 8).castTo(DataType.FLOAT));
    }

    @Test
    void float64WithTemperatureMatchesTheGraph() {
        MclrecRegularizerConfig config = DOT.withTemperature(0.7);
        EagerPairLossCheck.assertMatchesGraph(new EagerMclrecRegularizer(config), new MclrecRegularizer(config),
                RandomViews.gaussian(23, 6, 4), RandomViews.gaussian(24, 6, 4));
    }

    @Test
    void cosineMatchesTheGraph() {
        MclrecRegularizerConfig config = new MclrecRegularizerConfig(Similarity.COSINE, 0.5);
        EagerPairLossCheck.assertMatchesGraph(new EagerMclrecRegularizer(config), new MclrecRegularizer(config),
                RandomViews.gaussian(25, 6, 4), RandomViews.gaussian(26, 6, 4));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        EagerPairLossCheck.assertMatchesFiniteDifferences(new EagerMclrecRegularizer(DOT),
                RandomViews.gaussian(5, 4, 3), RandomViews.gaussian(6, 4, 3));
    }

    @Test
    void aBatchOfOneSampleHasNoNegativesAndIsRejected() {
        var single = Nd4j.createFromArray(new double[][] {{1, 0}});
        var error = assertThrows(IllegalArgumentException.class,
                () -> new EagerMclrecRegularizer(DOT).valueAndGradients(single, single));
        assertEquals("the MCLRec regulariser needs at least 2 samples per batch, got 1", error.getMessage());
    }
}
