package dev.seqrec.contrastive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class AlignmentUniformityTest {
    private final AlignmentUniformity diagnostics = new AlignmentUniformity(AlignmentUniformityConfig.defaults());

    @Test
    void alignmentOfTheWorkedExampleIsPointFour() {
        assertEquals(0.400000, diagnostics.alignment(WorkedExample.a(), WorkedExample.b()), 1e-5);
    }

    @Test
    void uniformityOfTheWorkedExampleFirstView() {
        assertEquals(-1.499775, diagnostics.uniformity(WorkedExample.a()), 1e-5);
    }

    @Test
    void float32InputsGiveTheWorkedExampleToo() {
        assertEquals(0.400000, diagnostics.alignment(WorkedExample.a(DataType.FLOAT), WorkedExample.b(DataType.FLOAT)), 1e-5);
        assertEquals(-1.499775, diagnostics.uniformity(WorkedExample.a(DataType.FLOAT)), 1e-5);
    }

    @Test
    void measurementAveragesTheUniformityOfBothViews() {
        var measured = diagnostics.measure(WorkedExample.a(), WorkedExample.b());
        double expected = (diagnostics.uniformity(WorkedExample.a()) + diagnostics.uniformity(WorkedExample.b())) / 2;
        assertEquals(0.4, measured.alignment(), 1e-5);
        assertEquals(expected, measured.uniformity(), 1e-12);
    }

    @Test
    void alignmentGradientsMatchFiniteDifferences() {
        GradientCheck.assertMatchesFiniteDifferences(
                new HashMap<>(Map.of("a", RandomViews.gaussian(21, 4, 3), "b", RandomViews.gaussian(22, 4, 3))),
                (sd, in) -> diagnostics.alignment(sd, "loss", in.get("a"), in.get("b")), "a", "b");
    }

    @Test
    void uniformityGradientsMatchFiniteDifferences() {
        GradientCheck.assertMatchesFiniteDifferences(new HashMap<>(Map.of("x", RandomViews.gaussian(23, 5, 3))),
                (sd, in) -> diagnostics.uniformity(sd, "loss", in.get("x")), "x");
    }
}
