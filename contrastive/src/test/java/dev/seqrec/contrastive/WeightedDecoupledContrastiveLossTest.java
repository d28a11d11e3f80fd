package dev.seqrec.contrastive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class WeightedDecoupledContrastiveLossTest {
    private final WeightedDecoupledContrastiveLoss cosineHalf = new WeightedDecoupledContrastiveLoss(
            WeightedDecoupledContrastiveConfig.defaults().withSimilarity(Similarity.COSINE).withTemperature(0.5));

    @Test
    void equallySimilarPositivesWeighOneSoTheWorkedExampleEqualsDcl() {
        assertEquals(0.888069, EagerLoss.value(cosineHalf, WorkedExample.a(), WorkedExample.b()), 1e-5);
    }

    @Test
    void float32InputsGiveTheWorkedExampleToo() {
        double loss = EagerLoss.value(cosineHalf, WorkedExample.a(DataType.FLOAT), WorkedExample.b(DataType.FLOAT));
        assertEquals(0.888069, loss, 1e-5);
    }

    @Test
    void unequalPositivesAreWeightedUnlikeDcl() {
        var a = RandomViews.gaussian(13, 4, 3);
        var b = RandomViews.gaussian(14, 4, 3);
        var dcl = new DecoupledContrastiveLoss(
                DecoupledContrastiveConfig.defaults().withSimilarity(Similarity.COSINE).withTemperature(0.5));
        assertNotEquals(EagerLoss.value(dcl, a, b), EagerLoss.value(cosineHalf, a, b), 1e-3);
    }

    /** The weights are constants, so finite differences must be taken with them frozen, which they cannot be. */
    @Test
    void gradientsMatchFiniteDifferencesWhenTheWeightsCannotMove() {
        // sigma -> infinity makes every weight 1 whatever the inputs, so the frozen and moving weights agree
        var flatWeights = new WeightedDecoupledContrastiveLoss(WeightedDecoupledContrastiveConfig.defaults()
                .withSimilarity(Similarity.COSINE).withTemperature(0.5).withSigma(1e12));
        GradientCheck.assertPairLossGradients(flatWeights, RandomViews.gaussian(15, 4, 3), RandomViews.gaussian(16, 4, 3));
    }
}
