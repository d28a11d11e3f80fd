package dev.seqrec.contrastive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.ToDoubleFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Compares SameDiff's gradients of a loss with central finite differences, in float64. */
final class GradientCheck {
    private static final double STEP = 1e-6;
    private static final double TOLERANCE = 1e-6;
    private static final String OUTPUT = "loss";

    private GradientCheck() {
    }

    /**
     * Builds the loss from the inputs (the differentiated ones as trainable variables, the others as placeholders),
     * then checks the gradient of every element of every differentiated input.
     */
    static void assertMatchesFiniteDifferences(Map<String, INDArray> inputs,
                                               BiFunction<SameDiff, Map<String, SDVariable>, SDVariable> lossGraph,
                                               String... differentiated) {
        SameDiff sd = SameDiff.create();
        Set<String> trainable = Set.of(differentiated);
        Map<String, SDVariable> graphInputs = new HashMap<>();
        Map<String, INDArray> placeholderValues = new HashMap<>();
        inputs.forEach((name, value) -> {
            if (trainable.contains(name)) {
                graphInputs.put(name, sd.var(name, value));
            } else {
                graphInputs.put(name, sd.placeHolder(name, value.dataType(), value.shape()));
                placeholderValues.put(name, value);
            }
        });
        SDVariable loss = lossGraph.apply(sd, graphInputs);
        loss.markAsLoss();
        Map<String, INDArray> analytic = sd.calculateGradients(placeholderValues, differentiated);
        for (String name : differentiated) {
            INDArray value = sd.getArrForVarName(name);
            assertEquals(DataType.DOUBLE, value.dataType(), "finite differences need float64");
            INDArray gradient = analytic.get(name);
            for (long i = 0; i < value.length(); i++) {
                double original = value.getDouble(i);
                value.putScalar(i, original + STEP);
                double up = sd.outputSingle(placeholderValues, loss.name()).getDouble(0);
                value.putScalar(i, original - STEP);
                double down = sd.outputSingle(placeholderValues, loss.name()).getDouble(0);
                value.putScalar(i, original);
                double numeric = (up - down) / (2 * STEP);
                assertEquals(numeric, gradient.getDouble(i), TOLERANCE * Math.max(1, Math.abs(numeric)),
                        "d loss / d " + name + "[" + i + "]");
            }
        }
    }

    static void assertPairLossGradients(PairLoss loss, INDArray a, INDArray b) {
        assertMatchesFiniteDifferences(new HashMap<>(Map.of("a", a.dup(), "b", b.dup())),
                (sd, in) -> loss.build(sd, OUTPUT, in.get("a"), in.get("b")), "a", "b");
    }

    /** Checks an analytic gradient of the loss with respect to x against central differences of a plain function. */
    static void assertMatchesFiniteDifferences(INDArray analytic, INDArray x, ToDoubleFunction<INDArray> loss) {
        INDArray point = x.dup();
        for (long i = 0; i < point.length(); i++) {
            double original = point.getDouble(i);
            point.putScalar(i, original + STEP);
            double up = loss.applyAsDouble(point);
            point.putScalar(i, original - STEP);
            double down = loss.applyAsDouble(point);
            point.putScalar(i, original);
            double numeric = (up - down) / (2 * STEP);
            assertEquals(numeric, analytic.getDouble(i), TOLERANCE * Math.max(1, Math.abs(numeric)), "element " + i);
        }
    }

    /** SameDiff's gradients of a pair loss with respect to a and b, [B, d] each. */
    static Map<String, INDArray> pairLossGradients(PairLoss loss, INDArray a, INDArray b) {
        SameDiff sd = SameDiff.create();
        sd.var("a", a.dup());
        sd.var("b", b.dup());
        loss.build(sd, OUTPUT, sd.getVariable("a"), sd.getVariable("b")).markAsLoss();
        return sd.calculateGradients(Map.of(), "a", "b");
    }
}
