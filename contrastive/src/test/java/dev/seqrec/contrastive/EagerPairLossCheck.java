package dev.seqrec.contrastive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Checks an eager loss against its graph version and against finite differences. */
final class EagerPairLossCheck {
    private static final double GRAPH_TOLERANCE = 1e-5;

    private EagerPairLossCheck() {
    }

    /** Value and both gradients equal the graph's, element by element, on the same inputs. */
    static void assertMatchesGraph(EagerPairLoss eager, PairLoss graph, INDArray a, INDArray b) {
        EagerPairLoss.Result result = eager.valueAndGradients(a, b);
        assertEquals(EagerLoss.value(graph, a, b), result.value(), GRAPH_TOLERANCE, "value");
        Map<String, INDArray> expected = GradientCheck.pairLossGradients(graph, a, b);
        assertElementsEqual(expected.get("a"), result.gradientA(), "dL/da");
        assertElementsEqual(expected.get("b"), result.gradientB(), "dL/db");
        assertEquals(a.dataType(), result.gradientA().dataType(), "gradient type");
    }

    /** Both gradients equal central differences of the eager value, in float64. */
    static void assertMatchesFiniteDifferences(EagerPairLoss eager, INDArray a, INDArray b) {
        assertEquals(DataType.DOUBLE, a.dataType(), "finite differences need float64");
        EagerPairLoss.Result result = eager.valueAndGradients(a, b);
        GradientCheck.assertMatchesFiniteDifferences(result.gradientA(), a,
                x -> eager.valueAndGradients(x, b).value());
        GradientCheck.assertMatchesFiniteDifferences(result.gradientB(), b,
                x -> eager.valueAndGradients(a, x).value());
    }

    private static void assertElementsEqual(INDArray expected, INDArray actual, String what) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what);
        for (long i = 0; i < expected.length(); i++) {
            assertEquals(expected.getDouble(i), actual.getDouble(i), GRAPH_TOLERANCE, what + "[" + i + "]");
        }
    }
}
