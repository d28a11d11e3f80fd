package dev.seqrec.contrastive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batches too small for a loss: where the size is known (eager, or a graph built on a fixed shape) they fail with the
 * same message; with a dynamic batch size the graph gives the documented value, never NaN.
 */
class DegenerateBatchTest {
    private static final String EMPTY = "the two views must hold at least one sample each, got shape [0, 2]";

    private static double graphValueOnDynamicBatch(PairLoss loss, INDArray a, INDArray b) {
        SameDiff sd = SameDiff.create();
        SDVariable first = sd.placeHolder("a", a.dataType(), -1, a.size(1));
        SDVariable second = sd.placeHolder("b", b.dataType(), -1, b.size(1));
        loss.build(sd, "loss", first, second);
        return sd.outputSingle(Map.of("a", a, "b", b), "loss").getDouble(0);
    }

    @Test
    void theRegulariserOnADynamicBatchOfOneSampleIsZeroNotNaN() {
        INDArray single = Nd4j.createFromArray(new double[][] {{1, 0.5}});
        INDArray other = Nd4j.createFromArray(new double[][] {{0.25, 2}});
        assertEquals(0.0, graphValueOnDynamicBatch(new MclrecRegularizer(MclrecRegularizerConfig.defaults()),
                single, other));
    }

    @Test
    void theRegulariserOnADynamicBatchOfTwoSamplesIsUnchanged() {
        assertEquals(EagerLoss.value(new MclrecRegularizer(MclrecRegularizerConfig.defaults()), WorkedExample.a(),
                        WorkedExample.b()),
                graphValueOnDynamicBatch(new MclrecRegularizer(MclrecRegularizerConfig.defaults()), WorkedExample.a(),
                        WorkedExample.b()), 1e-12);
    }

    @Test
    void anEmptyBatchIsRejectedWithOneMessageByTheEagerLossesAndTheGraphOfKnownShape() {
        INDArray empty = Nd4j.create(DataType.DOUBLE, 0, 2);
        var eager = assertThrows(IllegalArgumentException.class,
                () -> new EagerInfoNce(InfoNceConfig.defaults()).valueAndGradients(empty, empty));
        assertEquals(EMPTY, eager.getMessage());
        var sum = assertThrows(IllegalArgumentException.class,
                () -> new EagerLossSum(java.util.List.of(new EagerInfoNce(InfoNceConfig.defaults())))
                        .valuesAndGradients(empty, empty, 1.0));
        assertEquals(EMPTY, sum.getMessage());
        var graph = assertThrows(IllegalArgumentException.class,
                () -> EagerLoss.value(new InfoNce(InfoNceConfig.defaults()), empty, empty));
        assertEquals(EMPTY, graph.getMessage());
    }

    @Test
    void anEmptyDynamicBatchGivesInfoNceZeroAsDocumented() {
        INDArray empty = Nd4j.create(DataType.DOUBLE, 0, 2);
        assertEquals(0.0, graphValueOnDynamicBatch(new InfoNce(InfoNceConfig.defaults()), empty, empty));
    }
}
