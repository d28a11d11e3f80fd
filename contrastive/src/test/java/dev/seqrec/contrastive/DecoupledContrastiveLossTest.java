package dev.seqrec.contrastive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class DecoupledContrastiveLossTest {
    private final DecoupledContrastiveLoss cosineHalf = new DecoupledContrastiveLoss(
            DecoupledContrastiveConfig.defaults().withSimilarity(Similarity.COSINE).withTemperature(0.5));

    @Test
    void cosineAtTemperatureHalfMatchesTheWorkedExample() {
        assertEquals(0.888069, EagerLoss.value(cosineHalf, WorkedExample.a(), WorkedExample.b()), 1e-5);
    }

    @Test
    void float32InputsGiveTheWorkedExampleToo() {
        double loss = EagerLoss.value(cosineHalf, WorkedExample.a(DataType.FLOAT), WorkedExample.b(DataType.FLOAT));
        assertEquals(0.888069, loss, 1e-5);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        GradientCheck.assertPairLossGradients(cosineHalf, RandomViews.gaussian(7, 4, 3), RandomViews.gaussian(8, 4, 3));
    }

    @Test
    void dotProductGradientsMatchFiniteDifferences() {
        GradientCheck.assertPairLossGradients(new DecoupledContrastiveLoss(DecoupledContrastiveConfig.defaults()),
                RandomViews.gaussian(9, 4, 3), RandomViews.gaussian(10, 4, 3));
    }

    @Test
    void aSingleSampleHasNoNegativesSoNothingIsCounted() {
        var a = RandomViews.gaussian(11, 1, 3);
        var b = RandomViews.gaussian(12, 1, 3);
        assertEquals(0.0, EagerLoss.value(cosineHalf, a, b), 0.0);
    }
}
