package dev.seqrec.contrastive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class EagerLossSumTest {
    private static final EagerInfoNce NCE = new EagerInfoNce(InfoNceConfig.defaults());
    private static final EagerMclrecRegularizer RG = new EagerMclrecRegularizer(MclrecRegularizerConfig.defaults());
    private static final EagerInfoNce COSINE_NCE =
            new EagerInfoNce(InfoNceConfig.defaults().withSimilarity(Similarity.COSINE).withTemperature(0.5));

    @Test
    void termsSharingTheirSimilarityGiveTheWeightedSumOfTheirGradients() {
        assertSumOfSeparateTerms(List.of(NCE, RG), new double[] {0.7, 0.02}, DataType.DOUBLE, 1e-12);
    }

    @Test
    void termsWithDifferentSimilaritiesAreStillSummedExactly() {
        assertSumOfSeparateTerms(List.of(NCE, COSINE_NCE, RG), new double[] {1.0, 0.5, 0.1}, DataType.DOUBLE, 1e-12);
    }

    @Test
    void float32TermsGiveFloat32Gradients() {
        assertSumOfSeparateTerms(List.of(NCE, RG), new double[] {1.0, 0.1}, DataType.FLOAT, 1e-6);
    }

    @Test
    void oneWeightPerTermIsRequired() {
        var error = assertThrows(IllegalArgumentException.class, () -> new EagerLossSum(List.of(NCE, RG))
                .valuesAndGradients(RandomViews.gaussian(1, 4, 3), RandomViews.gaussian(2, 4, 3), 1.0));
        assertEquals("2 terms but 1 weights", error.getMessage());
    }

    private static void assertSumOfSeparateTerms(List<EagerInBatchLoss> terms, double[] weights, DataType type,
                                                 double tolerance) {
        INDArray a = RandomViews.gaussian(31, 8, 5).castTo(type);
        INDArray b = RandomViews.gaussian(32, 8, 5).castTo(type);
        EagerLossSum.Result sum = new EagerLossSum(terms).valuesAndGradients(a, b, weights);
        double[] values = new double[terms.size()];
        INDArray expectedA = a.ulike().assign(0);
        INDArray expectedB = b.ulike().assign(0);
        for (int t = 0; t < terms.size(); t++) {
            EagerPairLoss.Result alone = terms.get(t).valueAndGradients(a, b);
            values[t] = alone.value();
            expectedA.addi(alone.gradientA().mul(weights[t]));
            expectedB.addi(alone.gradientB().mul(weights[t]));
        }
        assertArrayEquals(values, sum.values(), tolerance);
        assertEquals(type, sum.gradientA().dataType());
        for (long i = 0; i < a.length(); i++) {
            assertEquals(expectedA.getDouble(i), sum.gradientA().getDouble(i), tolerance, "dL/da[" + i + "]");
            assertEquals(expectedB.getDouble(i), sum.gradientB().getDouble(i), tolerance, "dL/db[" + i + "]");
        }
    }
}
