package dev.seqrec.trainer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AdamTest {
    private static final Adam.AdamConfig CONFIG = new Adam.AdamConfig(0.1, 0.9, 0.999, 1e-8);

    @Test
    void firstStepMovesEachParameterByTheLearningRateAgainstItsGradientSign() {
        INDArray p = Nd4j.createFromArray(1.0, 1.0, 1.0);
        Adam adam = new Adam(CONFIG, Map.of("p", p));

        adam.step(Map.of("p", Nd4j.createFromArray(2.0, -0.5, 0.0)));

        // bias-corrected m / sqrt(v) is g / |g| on the first step
        assertArrayEquals(new double[] {0.9, 1.1, 1.0}, p.toDoubleVector(), 1e-6);
    }

    @Test
    void secondStepFollowsPytorchsBiasCorrectedFormula() {
        INDArray p = Nd4j.createFromArray(0.0);
        Adam adam = new Adam(CONFIG, Map.of("p", p));
        adam.step(Map.of("p", Nd4j.createFromArray(1.0)));
        adam.step(Map.of("p", Nd4j.createFromArray(3.0)));

        double m = 0.9 * 0.1 * 1 + 0.1 * 3;
        double v = 0.999 * 0.001 * 1 + 0.001 * 9;
        double mHat = m / (1 - 0.81);
        double vHat = v / (1 - 0.999 * 0.999);
        double firstStep = 0.1 * 1 / (1 + 1e-8);
        double expected = -firstStep - 0.1 * mHat / (Math.sqrt(vHat) + 1e-8);
        assertEquals(expected, p.getDouble(0), 1e-12);
        assertEquals(2, adam.steps());
    }

    @Test
    void gradientsAreLeftUnchanged() {
        INDArray gradient = Nd4j.createFromArray(2.0, -1.0);
        new Adam(CONFIG, Map.of("p", Nd4j.zeros(2))).step(Map.of("p", gradient));

        assertArrayEquals(new double[] {2.0, -1.0}, gradient.toDoubleVector(), 0.0);
    }
}
