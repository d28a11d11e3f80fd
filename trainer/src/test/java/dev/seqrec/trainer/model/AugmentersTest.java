package dev.seqrec.trainer.model;

import static dev.seqrec.trainer.model.TestArrays.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The eager augmenters against their SameDiff graph and against finite differences. */
class AugmentersTest {
    private static final int HIDDEN = 6;
    private static final int ROWS = 5;
    private static final double STEP = 1e-6;

    @Test
    void eagerForwardEqualsTheGraph() {
        Augmenters augmenters = Augmenters.initialise(HIDDEN, 1, DataType.FLOAT);
        INDArray h1 = gaussian(2, DataType.FLOAT);
        INDArray h2 = gaussian(3, DataType.FLOAT);
        SameDiff sd = SameDiff.create();
        SDVariable[] z = augmenters.build(sd, sd.var("h1", h1.dup()), sd.var("h2", h2.dup()));
        Map<String, INDArray> graph = sd.output(Map.of(), z[0].name(), z[1].name());
        assertClose(graph.get(z[0].name()), augmenters.forward(Augmenters.FIRST, h1).z(), 1e-6, "z1");
        assertClose(graph.get(z[1].name()), augmenters.forward(Augmenters.SECOND, h2).z(), 1e-6, "z2");
    }

    @Test
    void eagerGradientsForInputsAndWeightsEqualTheGraphs() {
        Augmenters augmenters = Augmenters.initialise(HIDDEN, 4, DataType.DOUBLE);
        INDArray h1 = gaussian(5, DataType.DOUBLE);
        INDArray h2 = gaussian(6, DataType.DOUBLE);
        INDArray r1 = gaussian(7, DataType.DOUBLE);
        INDArray r2 = gaussian(8, DataType.DOUBLE);
        // L = sum(z1 * r1) + sum(z2 * r2), so dL/dz1 = r1 and dL/dz2 = r2
        SameDiff sd = SameDiff.create();
        SDVariable[] z = augmenters.build(sd, sd.var("h1", h1.dup()), sd.var("h2", h2.dup()));
        z[0].mul(sd.constant(r1)).sum().add(z[1].mul(sd.constant(r2)).sum()).markAsLoss();
        List<String> differentiated = new ArrayList<>(augmenters.tensors().keySet());
        differentiated.add("h1");
        differentiated.add("h2");
        Map<String, INDArray> graph = sd.calculateGradients(Map.of(), differentiated);

        Map<String, INDArray> eager = new LinkedHashMap<>();
        eager.put("h1", augmenters.backward(augmenters.forward(Augmenters.FIRST, h1), r1, eager));
        eager.put("h2", augmenters.backward(augmenters.forward(Augmenters.SECOND, h2), r2, eager));
        assertEquals(differentiated.size(), eager.size());
        for (String name : differentiated) {
            assertClose(graph.get(name), eager.get(name), 1e-10, name);
        }
    }

    @Test
    void eagerGradientsMatchFiniteDifferences() {
        Augmenters augmenters = Augmenters.initialise(HIDDEN, 9, DataType.DOUBLE);
        INDArray h = gaussian(10, DataType.DOUBLE);
        INDArray r = gaussian(11, DataType.DOUBLE);
        Map<String, INDArray> analytic = new LinkedHashMap<>();
        analytic.put("h", augmenters.backward(augmenters.forward(Augmenters.SECOND, h), r, analytic));
        Map<String, INDArray> probed = new LinkedHashMap<>();
        probed.put("h", h);
        augmenters.tensors().forEach((name, tensor) -> {
            if (name.startsWith("augmenter2.")) {
                probed.put(name, tensor);
            }
        });
        probed.forEach((name, x) -> {
            for (long i = 0; i < x.length(); i++) {
                double original = x.getDouble(i);
                x.putScalar(i, original + STEP);
                double up = augmenters.forward(Augmenters.SECOND, h).z().mul(r).sumNumber().doubleValue();
                x.putScalar(i, original - STEP);
                double down = augmenters.forward(Augmenters.SECOND, h).z().mul(r).sumNumber().doubleValue();
                x.putScalar(i, original);
                double numeric = (up - down) / (2 * STEP);
                assertEquals(numeric, analytic.get(name).getDouble(i), 1e-6 * Math.max(1, Math.abs(numeric)),
                        name + "[" + i + "]");
            }
        });
    }

    @Test
    void anAugmenterOtherThanTheTwoIsRejected() {
        Augmenters augmenters = Augmenters.initialise(HIDDEN, 1, DataType.FLOAT);
        var error = assertThrows(IllegalArgumentException.class,
                () -> augmenters.forward(3, gaussian(1, DataType.FLOAT)));
        assertEquals("augmenter must be 1 or 2, got 3", error.getMessage());
    }

    private static INDArray gaussian(long seed, DataType type) {
        return TestArrays.gaussian(seed, ROWS, HIDDEN, type);
    }
}
