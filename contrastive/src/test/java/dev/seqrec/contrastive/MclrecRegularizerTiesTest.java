package dev.seqrec.contrastive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rg at exact ties (p_i = q_i, equal negatives): the collapsed state the regulariser exists to prevent. The eager and
 * graph versions follow one rule, the PyTorch reference's (first hardest negative; a p/q tie selects p).
 */
class MclrecRegularizerTiesTest {
    private static final MclrecRegularizerConfig DOT = MclrecRegularizerConfig.defaults();

    /** Every row of both views the same vector: every logit ties. */
    private static INDArray collapsed(int rows, DataType type) {
        return Nd4j.createFromArray(new double[] {0.5, 0.25}).reshape(1, 2).repeat(0, rows).castTo(type);
    }

    /** Rows 0 and 2 of a tie p and q exactly (a_2 = a_0 + a_1); other rows don't; b = a. */
    private static INDArray partlyTied() {
        return Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}, {1, 1}, {0.5, 0.25}});
    }

    @Test
    void collapsedViewsGiveTheSameGradientsEagerAndGraph() {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            EagerPairLossCheck.assertMatchesGraph(new EagerMclrecRegularizer(DOT), new MclrecRegularizer(DOT),
                    collapsed(3, type), collapsed(3, type));
        }
        MclrecRegularizerConfig cosine = new MclrecRegularizerConfig(Similarity.COSINE, 0.5);
        EagerPairLossCheck.assertMatchesGraph(new EagerMclrecRegularizer(cosine), new MclrecRegularizer(cosine),
                collapsed(4, DataType.DOUBLE), collapsed(4, DataType.DOUBLE));
    }

    @Test
    void collapsedViewsHaveNoGradientUnderTheReferenceTieRule() {
        // each row's p takes hi's gradient, which the row's negatives give back: dL/dS is symmetric with zero row sums
        INDArray a = collapsed(3, DataType.DOUBLE);
        EagerPairLoss.Result eager = new EagerMclrecRegularizer(DOT).valueAndGradients(a, a.dup());
        assertEquals(0, eager.value(), 0);
        assertEquals(0, eager.gradientA().amaxNumber().doubleValue(), 1e-15);
        assertEquals(0, eager.gradientB().amaxNumber().doubleValue(), 1e-15);
        assertEquals(0, GradientCheck.pairLossGradients(new MclrecRegularizer(DOT), a, a.dup()).get("a")
                .amaxNumber().doubleValue(), 1e-15);
    }

    @Test
    void partlyTiedViewsGiveTheReferenceGradientsEagerAndGraph() {
        INDArray a = partlyTied();
        INDArray b = partlyTied();
        INDArray[] expected = ReferenceRegularizer.gradients(a, b, 1.0);
        EagerPairLoss.Result eager = new EagerMclrecRegularizer(DOT).valueAndGradients(a, b);
        Map<String, INDArray> graph = GradientCheck.pairLossGradients(new MclrecRegularizer(DOT), a, b);
        assertElementsEqual(expected[0], eager.gradientA(), "eager dL/da");
        assertElementsEqual(expected[1], eager.gradientB(), "eager dL/db");
        assertElementsEqual(expected[0], graph.get("a"), "graph dL/da");
        assertElementsEqual(expected[1], graph.get("b"), "graph dL/db");
    }

    @Test
    void untiedViewsGiveTheReferenceGradients() {
        INDArray a = RandomViews.gaussian(31, 5, 3);
        INDArray b = RandomViews.gaussian(32, 5, 3);
        INDArray[] expected = ReferenceRegularizer.gradients(a, b, 0.7);
        EagerPairLoss.Result eager = new EagerMclrecRegularizer(DOT.withTemperature(0.7)).valueAndGradients(a, b);
        assertElementsEqual(expected[0], eager.gradientA(), "eager dL/da");
        assertElementsEqual(expected[1], eager.gradientB(), "eager dL/db");
    }

    private static void assertElementsEqual(INDArray expected, INDArray actual, String what) {
        for (long i = 0; i < expected.length(); i++) {
            assertEquals(expected.getDouble(i), actual.getDouble(i), 1e-12, what + "[" + i + "] of " + actual);
        }
    }
}
