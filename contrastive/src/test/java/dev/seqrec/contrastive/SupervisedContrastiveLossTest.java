package dev.seqrec.contrastive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SupervisedContrastiveLossTest {
    private final SupervisedContrastiveLoss cosineHalf = new SupervisedContrastiveLoss(
            SupervisedContrastiveConfig.defaults().withTemperature(0.5));

    private static INDArray stackedWorkedExample(DataType type) {
        return Nd4j.concat(0, WorkedExample.a(type), WorkedExample.b(type));
    }

    private static INDArray workedLabels() {
        return Nd4j.createFromArray(0, 1, 1, 0, 1, 2);
    }

    @Test
    void defaultsAreCosineAtTemperature007() {
        assertEquals(new SupervisedContrastiveConfig(Similarity.COSINE, 0.07), SupervisedContrastiveConfig.defaults());
    }

    @Test
    void stackedViewsWithLabelsMatchTheWorkedExample() {
        double loss = EagerLoss.value(cosineHalf, stackedWorkedExample(DataType.DOUBLE), workedLabels());
        assertEquals(1.230609, loss, 1e-5);
    }

    @Test
    void float32InputsGiveTheWorkedExampleToo() {
        double loss = EagerLoss.value(cosineHalf, stackedWorkedExample(DataType.FLOAT), workedLabels());
        assertEquals(1.230609, loss, 1e-5);
    }

    @Test
    void anAnchorWithoutPositivesIsSkipped() {
        // row 5 (label 2) has no positive; giving it a new unique label and moving it changes only the other anchors'
        // denominators, so dropping it entirely must differ, but relabelling it to another unique label must not
        INDArray x = stackedWorkedExample(DataType.DOUBLE);
        double withLabelTwo = EagerLoss.value(cosineHalf, x, workedLabels());
        double withLabelSeven = EagerLoss.value(cosineHalf, x, Nd4j.createFromArray(0, 1, 1, 0, 1, 7));
        assertEquals(withLabelTwo, withLabelSeven, 1e-12);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Map<String, INDArray> inputs = new HashMap<>(Map.of(
                "x", RandomViews.gaussian(17, 6, 3), "labels", Nd4j.createFromArray(0, 1, 1, 0, 1, 2)));
        GradientCheck.assertMatchesFiniteDifferences(inputs,
                (sd, in) -> cosineHalf.build(sd, "loss", in.get("x"), in.get("labels")), "x");
    }
}
