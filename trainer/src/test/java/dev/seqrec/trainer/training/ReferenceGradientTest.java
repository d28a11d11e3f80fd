package dev.seqrec.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqrec.trainer.checkpoint.ModelKind;
import dev.seqrec.trainer.checkpoint.ReferenceWeights;
import dev.seqrec.trainer.model.Augmenters;
import dev.seqrec.trainer.model.DropoutMasks;
import dev.seqrec.trainer.model.EncoderConfig;
import dev.seqrec.trainer.model.EncoderWeights;
import dev.seqrec.trainer.model.SasrecEncoder;
import dev.seqrec.trainer.model.SequenceBatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * MCLRec's losses and every gradient, on the reference's trained Beauty weights and a batch of 24 Beauty histories
 * with cropped, masked and reordered views, against PyTorch's autograd over an independent implementation of the
 * spec (resources {@code reference-gradients/}: the batch, {@code make_golden.py}, and its output). Float64, dropout
 * off; the finite-difference tests probe a few entries of a tiny model, this covers every tensor of the real one.
 */
class ReferenceGradientTest {
    private static final Path SHARED = Path.of(System.getProperty("seqrec.shared", "../../shared"));
    private static final Path WEIGHTS = SHARED.resolve("data/mclrec-beauty-checkpoint");
    private static final String RESOURCES = "/reference-gradients/";
    private static final int BEAUTY_ITEMS = 12101;
    private static final int HEADS = 2;
    /** Relative to each tensor's gradient norm: float64 sums in another order agree to about 1e-13. */
    private static final double TOLERANCE = 1e-9;
    /**
     * Least norm the tolerance scales with: the key biases' gradients are zero in exact arithmetic (a softmax ignores
     * a shift per query), so only rounding at 1e-18 is left to compare there.
     */
    private static final double LEAST_NORM = 1e-6;

    private static JsonNode golden;
    private static EncoderObjective objective;
    private static SequenceBatch views;
    private static StepResult encoderPass;

    @BeforeAll
    static void computeBothPasses() throws IOException {
        golden = new ObjectMapper().readTree(resource("golden.json"));
        ReferenceWeights.Imported reference = ReferenceWeights.read(WEIGHTS, BEAUTY_ITEMS, HEADS);
        EncoderConfig c = reference.config();
        EncoderConfig noDropout = new EncoderConfig(c.numItems(), c.hiddenSize(), c.layers(), c.heads(), c.innerSize(),
                c.maxLength(), 0, 0, c.layerNormEps(), c.initStd());
        EncoderWeights weights = reference.weights().copy(noDropout, DataType.DOUBLE);
        ObjectiveWeights objectiveWeights = new ObjectiveWeights(golden.get("lambda").asDouble(),
                golden.get("beta").asDouble(), 1.0, ObjectiveWeights.DEFAULT_REGULARIZER_WEIGHT, true, false);
        objective = new EncoderObjective(ModelKind.MCLREC, noDropout, weights, objectiveWeights,
                formulaAugmenters(c.hiddenSize()));

        List<String> rows = new String(resource("batch.txt").readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        int[][] histories = new int[rows.size()][];
        int[][] view1 = new int[rows.size()][];
        int[][] view2 = new int[rows.size()][];
        int[] targets = new int[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            String[] parts = rows.get(r).split("\\|");
            histories[r] = ids(parts[0]);
            targets[r] = Integer.parseInt(parts[1].trim());
            view1[r] = ids(parts[2]);
            view2[r] = ids(parts[3]);
        }
        views = SequenceBatch.stack(SequenceBatch.of(view1, c.maxLength()), SequenceBatch.of(view2, c.maxLength()));
        encoderPass = objective.compute(SequenceBatch.stack(SequenceBatch.of(histories, c.maxLength()), views), targets,
                1L, true);
    }

    /** make_golden.py's closed formula: weights [in, out] sin(0.37 i + 0.61 j + 1.3 net + 0.7 layer) / sqrt(in). */
    private static Augmenters formulaAugmenters(int hidden) {
        int[] widths = {hidden, Augmenters.HIDDEN_WIDTHS[0], Augmenters.HIDDEN_WIDTHS[1], hidden};
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (int net = 1; net <= 2; net++) {
            for (int layer = 0; layer < 3; layer++) {
                double[][] w = new double[widths[layer]][widths[layer + 1]];
                for (int i = 0; i < w.length; i++) {
                    for (int j = 0; j < w[i].length; j++) {
                        w[i][j] = Math.sin(0.37 * i + 0.61 * j + 1.3 * net + 0.7 * layer) / Math.sqrt(widths[layer]);
                    }
                }
                double[] b = new double[widths[layer + 1]];
                for (int j = 0; j < b.length; j++) {
                    b[j] = 0.1 * Math.cos(0.5 * j + net + layer);
                }
                String letter = String.valueOf((char) ('a' + layer));
                tensors.put("augmenter" + net + ".w" + letter, Nd4j.createFromArray(w));
                tensors.put("augmenter" + net + ".b" + letter, Nd4j.createFromArray(b));
            }
        }
        return Augmenters.of(tensors);
    }

    @Test
    void encoderPassLossesMatchAutograd() {
        JsonNode expected = golden.at("/encoderPass/losses");
        for (String part : List.of(EncoderObjective.REC, EncoderObjective.CL1, EncoderObjective.CL2,
                EncoderObjective.REG, EncoderObjective.TOTAL)) {
            double value = expected.get(part).asDouble();
            assertEquals(value, encoderPass.losses().get(part), 1e-10 * Math.abs(value), part);
        }
    }

    @Test
    void everyEncoderGradientMatchesAutograd() {
        assertGradients(golden.at("/encoderPass/gradients"), encoderPass.gradients());
    }

    @Test
    void augmenterPassLossAndGradientsMatchAutograd() {
        SasrecEncoder.Activations encoded = objective.encoder().forward(views, new DropoutMasks(1L));
        int b = views.size() / 2;
        INDArray h1 = encoded.h.get(NDArrayIndex.interval(0, b), NDArrayIndex.all()).dup('c');
        INDArray h2 = encoded.h.get(NDArrayIndex.interval(b, 2 * b), NDArrayIndex.all()).dup('c');
        StepResult augmenterPass = objective.contrastive().augmenterPass(h1, h2);
        double total = golden.at("/augmenterPass/losses/total").asDouble();
        assertEquals(total, augmenterPass.losses().get(EncoderObjective.TOTAL), 1e-10 * total);
        assertGradients(golden.at("/augmenterPass/gradients"), augmenterPass.gradients());
    }

    private static void assertGradients(JsonNode expected, Map<String, INDArray> actual) {
        assertEquals(expected.size(), actual.size(), "tensors: " + actual.keySet());
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode summary = e.getValue();
            INDArray g = actual.get(name);
            long[] shape = new long[summary.get("shape").size()];
            Arrays.setAll(shape, i -> summary.get("shape").get(i).asLong());
            assertEquals(Arrays.toString(shape), Arrays.toString(g.shape()), name);
            double[] flat = g.dup('c').reshape(g.length()).toDoubleVector();
            double scale = Math.max(summary.get("norm").asDouble(), LEAST_NORM);
            double tolerance = TOLERANCE * scale;
            assertEquals(summary.get("norm").asDouble(), Nd4j.createFromArray(flat).norm2Number().doubleValue(),
                    tolerance, name + " norm");
            assertEquals(summary.get("sum").asDouble(), Arrays.stream(flat).sum(), tolerance * Math.sqrt(flat.length),
                    name + " sum");
            for (JsonNode entry : summary.get("entries")) {
                int index = entry.get(0).asInt();
                assertEquals(entry.get(1).asDouble(), flat[index], tolerance, name + "[" + index + "]");
            }
        }
    }

    private static int[] ids(String text) {
        String trimmed = text.trim();
        return trimmed.isEmpty() ? new int[0] : Arrays.stream(trimmed.split(" +")).mapToInt(Integer::parseInt).toArray();
    }

    private static InputStream resource(String name) {
        InputStream in = ReferenceGradientTest.class.getResourceAsStream(RESOURCES + name);
        if (in == null) {
            throw new UncheckedIOException(new IOException("test resource " + RESOURCES + name + " is missing"));
        }
        return in;
    }
}
