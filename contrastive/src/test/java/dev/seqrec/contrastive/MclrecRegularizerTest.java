package dev.seqrec.contrastive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class MclrecRegularizerTest {
    private final MclrecRegularizer regularizer = new MclrecRegularizer(MclrecRegularizerConfig.defaults());

    @Test
    void dotProductMatchesTheWorkedExample() {
        assertEquals(0.533333, EagerLoss.value(regularizer, WorkedExample.a(), WorkedExample.b()), 1e-5);
    }

    @Test
    void aBatchOfOneSampleHasNoNegativesAndIsRejected() {
        var single = Nd4j.createFromArray(new double[][] {{1, 0}});
        var error = assertThrows(IllegalArgumentException.class, () -> EagerLoss.value(regularizer, single, single));
        assertEquals("the MCLRec regulariser needs at least 2 samples per batch, got 1", error.getMessage());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        GradientCheck.assertPairLossGradients(regularizer, RandomViews.gaussian(5, 4, 3), RandomViews.gaussian(6, 4, 3));
    }

    @Test
    void float32InputsGiveTheWorkedExampleToo() {
        double loss = EagerLoss.value(regularizer, WorkedExample.a(DataType.FLOAT), WorkedExample.b(DataType.FLOAT));
        assertEquals(0.533333, loss, 1e-5);
    }
}
