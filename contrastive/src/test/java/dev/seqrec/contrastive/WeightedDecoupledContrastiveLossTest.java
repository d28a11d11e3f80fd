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

    @Test
    void weightsMatchTheirDefinition() {
        var a = RandomViews.gaussian(17, 4, 3);
        var b = RandomViews.gaussian(18, 4, 3);
        var reference = new ReferenceInBatchLoss(Similarity.COSINE, 0.5, 0, false);
        double expected = ReferenceInBatchLoss.mean(reference.rowLosses(a, b, null, reference.dclwWeights(a, b, 0.5)));
        assertEquals(expected, EagerLoss.value(cosineHalf, a, b), 1e-9);
    }

    @Test
    void weightsCarryNoGradient() {
        var a = RandomViews.gaussian(19, 4, 3);
        var b = RandomViews.gaussian(20, 4, 3);
        var reference = new ReferenceInBatchLoss(Similarity.COSINE, 0.5, 0, false);
        double[] frozen = reference.dclwWeights(a, b, 0.5);
        var gradients = GradientCheck.pairLossGradients(cosineHalf, a, b);
        GradientCheck.assertMatchesFiniteDifferences(gradients.get("a"), a,
                moved -> ReferenceInBatchLoss.mean(reference.rowLosses(moved, b, null, frozen)));
        GradientCheck.assertMatchesFiniteDifferences(gradients.get("b"), b,
                moved -> ReferenceInBatchLoss.mean(reference.rowLosses(a, moved, null, frozen)));
    }
}
