package dev.seqrec.contrastive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** How a trainer uses the losses: placeholders of unknown batch size, several losses in one graph, gradients. */
class GraphUsageTest {
    static Stream<PairLoss> pairLosses() {
        return BatchOrderInvarianceTest.pairLosses();
    }

    @ParameterizedTest
    @MethodSource("pairLosses")
    void oneGraphServesBatchesOfAnySize(PairLoss loss) {
        SameDiff sd = SameDiff.create();
        loss.build(sd, "loss", sd.placeHolder("a", DataType.FLOAT, -1, 3), sd.placeHolder("b", DataType.FLOAT, -1, 3));
        for (int batch : new int[] {3, 5}) {
            INDArray a = RandomViews.gaussian(60 + batch, batch, 3).castTo(DataType.FLOAT);
            INDArray b = RandomViews.gaussian(70 + batch, batch, 3).castTo(DataType.FLOAT);
            double inGraph = sd.outputSingle(Map.of("a", a, "b", b), "loss").getDouble(0);
            assertEquals(EagerLoss.value(loss, a, b), inGraph, 1e-5, "batch of " + batch);
        }
    }

    /** A trainer may hold the views in variables and swap in each batch's arrays, whatever their batch size. */
    @ParameterizedTest
    @MethodSource("pairLosses")
    void variablesMayBeGivenArraysOfAnotherBatchSize(PairLoss loss) {
        SameDiff sd = SameDiff.create();
        SDVariable first = sd.var("a", Nd4j.zeros(DataType.FLOAT, 2, 3));
        SDVariable second = sd.var("b", Nd4j.zeros(DataType.FLOAT, 2, 3));
        loss.build(sd, "loss", first, second).markAsLoss();
        for (int batch : new int[] {5, 3}) {
            INDArray a = RandomViews.gaussian(100 + batch, batch, 3).castTo(DataType.FLOAT);
            INDArray b = RandomViews.gaussian(110 + batch, batch, 3).castTo(DataType.FLOAT);
            first.setArray(a);
            second.setArray(b);
            Map<String, INDArray> gradients = sd.calculateGradients(Map.of(), "a", "b");
            assertEquals(EagerLoss.value(loss, a, b), sd.outputSingle(Map.of(), "loss").getDouble(0), 1e-5);
            assertEquals(batch, gradients.get("a").size(0));
        }
    }

    @Test
    void supervisedContrastiveGraphServesBatchesOfAnySize() {
        var loss = new SupervisedContrastiveLoss(SupervisedContrastiveConfig.defaults());
        SameDiff sd = SameDiff.create();
        loss.build(sd, "loss", sd.placeHolder("x", DataType.FLOAT, -1, 3), sd.placeHolder("labels", DataType.INT, -1));
        for (int rows : new int[] {4, 6}) {
            INDArray x = RandomViews.gaussian(80 + rows, rows, 3).castTo(DataType.FLOAT);
            INDArray labels = Nd4j.createFromArray(new int[rows]).addi(1);
            labels.putScalar(0, 2);
            labels.putScalar(1, 2);
            double inGraph = sd.outputSingle(Map.of("x", x, "labels", labels), "loss").getDouble(0);
            assertEquals(EagerLoss.value(loss, x, labels), inGraph, 1e-5, rows + " rows");
        }
    }

    /** MCLRec's meta term: three InfoNCE and three regulariser terms over the same views, differentiated together. */
    @Test
    void severalLossesShareOneGraphAndItsGradients() {
        Map<String, INDArray> views = new HashMap<>(Map.of(
                "h1", RandomViews.gaussian(91, 3, 2), "h2", RandomViews.gaussian(92, 3, 2),
                "z1", RandomViews.gaussian(93, 3, 2), "z2", RandomViews.gaussian(94, 3, 2)));
        var nce = new InfoNce(InfoNceConfig.defaults());
        var regularizer = new MclrecRegularizer(MclrecRegularizerConfig.defaults());
        BiFunction<SameDiff, Map<String, SDVariable>, SDVariable> meta = (sd, in) -> {
            SDVariable contrastive = nce.build(sd, "nce_h1_z2", in.get("h1"), in.get("z2"))
                    .add(nce.build(sd, "nce_h2_z1", in.get("h2"), in.get("z1")))
                    .add(nce.build(sd, "nce_z1_z2", in.get("z1"), in.get("z2")));
            SDVariable regularization = regularizer.build(sd, "rg_h1_z2", in.get("h1"), in.get("z2"))
                    .add(regularizer.build(sd, "rg_h2_z1", in.get("h2"), in.get("z1")))
                    .add(regularizer.build(sd, "rg_z1_z2", in.get("z1"), in.get("z2")));
            return sd.math().add("meta", contrastive, regularization.mul(0.1));
        };

        SameDiff sd = SameDiff.create();
        Map<String, SDVariable> variables = new HashMap<>();
        views.forEach((name, value) -> variables.put(name, sd.var(name, value.dup())));
        meta.apply(sd, variables);
        double expected = EagerLoss.value(nce, views.get("h1"), views.get("z2"))
                + EagerLoss.value(nce, views.get("h2"), views.get("z1"))
                + EagerLoss.value(nce, views.get("z1"), views.get("z2"))
                + 0.1 * (EagerLoss.value(regularizer, views.get("h1"), views.get("z2"))
                + EagerLoss.value(regularizer, views.get("h2"), views.get("z1"))
                + EagerLoss.value(regularizer, views.get("z1"), views.get("z2")));
        assertEquals(expected, sd.outputSingle(Map.of(), "meta").getDouble(0), 1e-9);
        GradientCheck.assertMatchesFiniteDifferences(views, meta, "h1", "h2", "z1", "z2");
    }
}
