package dev.seqrec.contrastive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class InfoNceTest {
    @Test
    void dotProductAtTemperatureOneMatchesTheWorkedExample() {
        double loss = EagerLoss.value(new InfoNce(InfoNceConfig.defaults()), WorkedExample.a(), WorkedExample.b());
        assertEquals(1.375590, loss, 1e-5);
    }

    @Test
    void cosineAtTemperatureHalfMatchesTheWorkedExample() {
        InfoNce loss = new InfoNce(InfoNceConfig.defaults().withSimilarity(Similarity.COSINE).withTemperature(0.5));
        assertEquals(1.252459, EagerLoss.value(loss, WorkedExample.a(), WorkedExample.b()), 1e-5);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        GradientCheck.assertPairLossGradients(new InfoNce(InfoNceConfig.defaults()),
                RandomViews.gaussian(1, 4, 3), RandomViews.gaussian(2, 4, 3));
    }

    @Test
    void cosineGradientsMatchFiniteDifferences() {
        GradientCheck.assertPairLossGradients(
                new InfoNce(InfoNceConfig.defaults().withSimilarity(Similarity.COSINE).withTemperature(0.5)),
                RandomViews.gaussian(3, 4, 3), RandomViews.gaussian(4, 4, 3));
    }

    @Test
    void float32InputsGiveTheWorkedExampleToo() {
        double loss = EagerLoss.value(new InfoNce(InfoNceConfig.defaults()), WorkedExample.a(DataType.FLOAT), WorkedExample.b(DataType.FLOAT));
        assertEquals(1.375590, loss, 1e-5);
    }
}
