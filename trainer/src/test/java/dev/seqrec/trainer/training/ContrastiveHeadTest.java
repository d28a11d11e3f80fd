package dev.seqrec.trainer.training;

import static dev.seqrec.trainer.model.TestArrays.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqrec.trainer.checkpoint.ModelKind;
import dev.seqrec.trainer.model.Augmenters;
import dev.seqrec.trainer.model.TestArrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The eager contrastive head against the same terms composed as a SameDiff graph. */
class ContrastiveHeadTest {
    private static final int HIDDEN = 6;
    private static final int ROWS = 5;
    /** Temperature other than 1, so that L_cl2's fixed temperature is told apart from L_cl1's and R's. */
    private static final ObjectiveWeights WEIGHTS = new ObjectiveWeights(0.3, 0.5, 0.8, 0.1, true, false);
    private static final double TOLERANCE = 1e-9;

    @Test
    void encoderPassEqualsTheGraphForMclrec() {
        Augmenters augmenters = Augmenters.initialise(HIDDEN, 1, DataType.DOUBLE);
        INDArray h1 = gaussian(2, DataType.DOUBLE);
        INDArray h2 = gaussian(3, DataType.DOUBLE);
        ContrastiveHead head = new ContrastiveHead(ModelKind.MCLREC, WEIGHTS, augmenters, HIDDEN, DataType.DOUBLE);
        Map<String, Double> losses = new LinkedHashMap<>();
        Map<String, INDArray> gradients = head.encoderPass(h1, h2, losses, true);
        GraphContrastiveHead.Outcome graph = GraphContrastiveHead.encoderObjective(WEIGHTS, augmenters, h1, h2);

        assertEquals(List.of(EncoderObjective.CL1, EncoderObjective.CL2, EncoderObjective.REG,
                ContrastiveHead.WEIGHTED_TOTAL), List.copyOf(losses.keySet()));
        for (String term : List.of(EncoderObjective.CL1, EncoderObjective.CL2, EncoderObjective.REG)) {
            assertEquals(graph.losses().get(term), losses.get(term), TOLERANCE, term);
        }
        assertEquals(graph.losses().get(EncoderObjective.TOTAL), losses.get(ContrastiveHead.WEIGHTED_TOTAL), TOLERANCE);
        assertClose(graph.gradients().get("h1"), gradients.get(ContrastiveHead.H1), TOLERANCE, "dh1");
        assertClose(graph.gradients().get("h2"), gradients.get(ContrastiveHead.H2), TOLERANCE, "dh2");
    }

    @Test
    void atLambdaZeroAnUnreportedPassSkipsClOneWithTheSameGradients() {
        ObjectiveWeights lambdaZero = new ObjectiveWeights(0.0, 0.5, 0.8, 0.1, true, false);
        Augmenters augmenters = Augmenters.initialise(HIDDEN, 10, DataType.DOUBLE);
        INDArray h1 = gaussian(11, DataType.DOUBLE);
        INDArray h2 = gaussian(12, DataType.DOUBLE);
        ContrastiveHead head = new ContrastiveHead(ModelKind.MCLREC, lambdaZero, augmenters, HIDDEN, DataType.DOUBLE);
        Map<String, Double> reportedLosses = new LinkedHashMap<>();
        Map<String, INDArray> reported = head.encoderPass(h1, h2, reportedLosses, true);
        Map<String, Double> skippedLosses = new LinkedHashMap<>();
        Map<String, INDArray> skipped = head.encoderPass(h1, h2, skippedLosses, false);

        assertTrue(reportedLosses.containsKey(EncoderObjective.CL1));
        assertFalse(skippedLosses.containsKey(EncoderObjective.CL1));
        assertEquals(reportedLosses.get(ContrastiveHead.WEIGHTED_TOTAL),
                skippedLosses.get(ContrastiveHead.WEIGHTED_TOTAL));
        for (String h : List.of(ContrastiveHead.H1, ContrastiveHead.H2)) {
            assertArrayEquals(reported.get(h).toDoubleMatrix(), skipped.get(h).toDoubleMatrix(), h);
        }
    }

    @Test
    void anUnreportedPassStillComputesClOneWhenItIsWeighted() {
        Augmenters augmenters = Augmenters.initialise(HIDDEN, 13, DataType.DOUBLE);
        INDArray h1 = gaussian(14, DataType.DOUBLE);
        INDArray h2 = gaussian(15, DataType.DOUBLE);
        ContrastiveHead head = new ContrastiveHead(ModelKind.MCLREC, WEIGHTS, augmenters, HIDDEN, DataType.DOUBLE);
        Map<String, Double> reportedLosses = new LinkedHashMap<>();
        Map<String, INDArray> reported = head.encoderPass(h1, h2, reportedLosses, true);
        Map<String, Double> unreportedLosses = new LinkedHashMap<>();
        Map<String, INDArray> unreported = head.encoderPass(h1, h2, unreportedLosses, false);

        assertEquals(reportedLosses, unreportedLosses);
        assertArrayEquals(reported.get(ContrastiveHead.H1).toDoubleMatrix(),
                unreported.get(ContrastiveHead.H1).toDoubleMatrix());
    }

    @Test
    void cl4srecAtLambdaZeroUnreportedHasZeroViewGradients() {
        ObjectiveWeights lambdaZero = new ObjectiveWeights(0.0, 0.0, 0.8, 0.1, false, false);
        INDArray h1 = gaussian(16, DataType.DOUBLE);
        INDArray h2 = gaussian(17, DataType.DOUBLE);
        ContrastiveHead head = new ContrastiveHead(ModelKind.CL4SREC, lambdaZero, null, HIDDEN, DataType.DOUBLE);
        Map<String, Double> losses = new LinkedHashMap<>();
        Map<String, INDArray> gradients = head.encoderPass(h1, h2, losses, false);

        assertEquals(List.of(ContrastiveHead.WEIGHTED_TOTAL), List.copyOf(losses.keySet()));
        assertEquals(0.0, losses.get(ContrastiveHead.WEIGHTED_TOTAL));
        assertEquals(0.0, gradients.get(ContrastiveHead.H1).norm2Number().doubleValue());
        assertArrayEquals(h2.shape(), gradients.get(ContrastiveHead.H2).shape());
    }

    @Test
    void augmenterPassEqualsTheGraph() {
        Augmenters augmenters = Augmenters.initialise(HIDDEN, 4, DataType.DOUBLE);
        INDArray h1 = gaussian(5, DataType.DOUBLE);
        INDArray h2 = gaussian(6, DataType.DOUBLE);
        ContrastiveHead head = new ContrastiveHead(ModelKind.MCLREC, WEIGHTS, augmenters, HIDDEN, DataType.DOUBLE);
        StepResult result = head.augmenterPass(h1, h2);
        GraphContrastiveHead.Outcome graph = GraphContrastiveHead.augmenterObjective(WEIGHTS, augmenters, h1, h2);

        assertEquals(List.of(EncoderObjective.CL2, EncoderObjective.REG, EncoderObjective.TOTAL),
                List.copyOf(result.losses().keySet()));
        for (String term : result.losses().keySet()) {
            assertEquals(graph.losses().get(term), result.losses().get(term), TOLERANCE, term);
        }
        assertEquals(List.copyOf(augmenters.tensors().keySet()), List.copyOf(result.gradients().keySet()));
        result.gradients().forEach((name, g) -> assertClose(graph.gradients().get(name), g, TOLERANCE, name));
    }

    @Test
    void withoutTheRegulariserTheMetaTermIsTheContrastAlone() {
        ObjectiveWeights noRegulariser = new ObjectiveWeights(0.3, 0.5, 0.8, 0.1, false, false);
        Augmenters augmenters = Augmenters.initialise(HIDDEN, 7, DataType.DOUBLE);
        INDArray h1 = gaussian(8, DataType.DOUBLE);
        INDArray h2 = gaussian(9, DataType.DOUBLE);
        ContrastiveHead head = new ContrastiveHead(ModelKind.MCLREC, noRegulariser, augmenters, HIDDEN, DataType.DOUBLE);
        StepResult result = head.augmenterPass(h1, h2);
        GraphContrastiveHead.Outcome graph = GraphContrastiveHead.augmenterObjective(noRegulariser, augmenters, h1, h2);

        assertFalse(result.losses().containsKey(EncoderObjective.REG));
        assertEquals(graph.losses().get(EncoderObjective.CL2), result.losses().get(EncoderObjective.TOTAL), TOLERANCE);
        result.gradients().forEach((name, g) -> assertClose(graph.gradients().get(name), g, TOLERANCE, name));
    }

    @Test
    void cl4srecEncoderPassIsLambdaTimesInfoNceOfTheViews() {
        INDArray h1 = gaussian(10, DataType.DOUBLE);
        INDArray h2 = gaussian(11, DataType.DOUBLE);
        ContrastiveHead head = new ContrastiveHead(ModelKind.CL4SREC, WEIGHTS, null, HIDDEN, DataType.DOUBLE);
        Map<String, Double> losses = new LinkedHashMap<>();
        head.encoderPass(h1, h2, losses, true);
        // the graph's total with beta 0 is lambda L_cl1 alone
        ObjectiveWeights contrastOnly = new ObjectiveWeights(WEIGHTS.lambda(), 0.0, WEIGHTS.temperature(), 0.1, true, false);
        GraphContrastiveHead.Outcome graph = GraphContrastiveHead.encoderObjective(contrastOnly,
                Augmenters.initialise(HIDDEN, 1, DataType.DOUBLE), h1, h2);

        assertEquals(List.of(EncoderObjective.CL1, ContrastiveHead.WEIGHTED_TOTAL), List.copyOf(losses.keySet()));
        assertEquals(graph.losses().get(EncoderObjective.TOTAL), losses.get(ContrastiveHead.WEIGHTED_TOTAL), TOLERANCE);
    }

    @Test
    void float32EncoderPassAtTemperatureOneAgreesWithTheGraphToFloat32Precision() {
        // at temperature 1, L_cl2 and R share their similarity matrices
        ObjectiveWeights weights = new ObjectiveWeights(0.3, 0.5, 1.0, 0.1, true, false);
        Augmenters augmenters = Augmenters.initialise(HIDDEN, 12, DataType.FLOAT);
        INDArray h1 = gaussian(13, DataType.FLOAT);
        INDArray h2 = gaussian(14, DataType.FLOAT);
        ContrastiveHead head = new ContrastiveHead(ModelKind.MCLREC, weights, augmenters, HIDDEN, DataType.FLOAT);
        Map<String, Double> losses = new LinkedHashMap<>();
        Map<String, INDArray> gradients = head.encoderPass(h1, h2, losses, true);
        GraphContrastiveHead.Outcome graph = GraphContrastiveHead.encoderObjective(weights, augmenters, h1, h2);

        assertEquals(graph.losses().get(EncoderObjective.TOTAL), losses.get(ContrastiveHead.WEIGHTED_TOTAL), 1e-5);
        assertEquals(DataType.FLOAT, gradients.get(ContrastiveHead.H1).dataType());
        assertClose(graph.gradients().get("h1"), gradients.get(ContrastiveHead.H1), 1e-5, "dh1");
        assertClose(graph.gradients().get("h2"), gradients.get(ContrastiveHead.H2), 1e-5, "dh2");
    }

    @Test
    void jointEncoderPassGivesTheAugmentersBetaTimesTheGradientOfTheMetaTerm() {
        ObjectiveWeights joint = new ObjectiveWeights(0.3, 0.5, 0.8, 0.1, true, true);
        Augmenters augmenters = Augmenters.initialise(HIDDEN, 15, DataType.DOUBLE);
        INDArray h1 = gaussian(16, DataType.DOUBLE);
        INDArray h2 = gaussian(17, DataType.DOUBLE);
        ContrastiveHead head = new ContrastiveHead(ModelKind.MCLREC, joint, augmenters, HIDDEN, DataType.DOUBLE);

        Map<String, INDArray> together = head.encoderPass(h1, h2, new LinkedHashMap<>(), true);
        Map<String, INDArray> metaTerm = head.augmenterPass(h1, h2).gradients();

        assertEquals(augmenters.tensors().keySet(), metaTerm.keySet());
        metaTerm.forEach((name, gradient) ->
                assertClose(gradient.mul(joint.beta()), together.get(name), 1e-12, name));
    }

    @Test
    void alternatingEncoderPassLeavesTheAugmentersAlone() {
        Augmenters augmenters = Augmenters.initialise(HIDDEN, 15, DataType.DOUBLE);
        ContrastiveHead head = new ContrastiveHead(ModelKind.MCLREC, WEIGHTS, augmenters, HIDDEN, DataType.DOUBLE);

        Map<String, INDArray> gradients = head.encoderPass(gaussian(16, DataType.DOUBLE), gaussian(17, DataType.DOUBLE),
                new LinkedHashMap<>(), true);

        assertEquals(Set.of(ContrastiveHead.H1, ContrastiveHead.H2), gradients.keySet());
    }

    @Test
    void augmentersOfAnotherWidthAreRejected() {
        Augmenters augmenters = Augmenters.initialise(HIDDEN, 1, DataType.FLOAT);
        var error = assertThrows(IllegalArgumentException.class,
                () -> new ContrastiveHead(ModelKind.MCLREC, WEIGHTS, augmenters, HIDDEN + 1, DataType.FLOAT));
        assertEquals("the augmenters take FLOAT vectors of width 6 but the encoder makes FLOAT vectors of width 7",
                error.getMessage());
    }

    private static INDArray gaussian(long seed, DataType type) {
        return TestArrays.gaussian(seed, ROWS, HIDDEN, type);
    }
}
