package dev.seqrec.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqrec.eval.EvaluationOptions;
import dev.seqrec.eval.EvaluationResult;
import dev.seqrec.eval.FullRankingEvaluator;
import dev.seqrec.eval.data.DatasetReader;
import dev.seqrec.eval.data.SequenceDataset;
import dev.seqrec.eval.split.LeaveOneOutSplit;
import dev.seqrec.eval.split.Split;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8: the reference implementation's trained Beauty encoder, imported and saved as a seqrec checkpoint, then
 * loaded and evaluated through the trainer's encoder, reproduces the manifest's metrics to 1e-4 on both splits.
 */
class ReferenceParityTest {
    private static final double TOLERANCE = 1e-4 + 1e-9;
    private static final Path SHARED = Path.of(System.getProperty("seqrec.shared", "../../shared"));
    private static final Path WEIGHTS = SHARED.resolve("data/mclrec-beauty-checkpoint");
    private static final Path BEAUTY = SHARED.resolve("data/amazon-beauty/beauty.txt");

    @TempDir
    static Path tmp;
    private static SequenceDataset beauty;
    private static Checkpoint imported;
    private static JsonNode manifest;

    @BeforeAll
    static void importReferenceWeights() throws Exception {
        beauty = DatasetReader.read(BEAUTY);
        ReferenceImport.toCheckpoint(WEIGHTS, BEAUTY, 2).save(tmp.resolve("ref"));
        imported = Checkpoint.load(tmp.resolve("ref"));
        manifest = new ObjectMapper().readTree(WEIGHTS.resolve(ReferenceWeights.MANIFEST).toFile());
    }

    private static EvaluationResult evaluate(Split split) throws Exception {
        return new FullRankingEvaluator(EvaluationOptions.DEFAULTS.withProgress(false)).evaluate(beauty.name(),
                new LeaveOneOutSplit().cases(beauty, split), imported.scorerFor(beauty, "ref"));
    }

    private static void assertMetrics(JsonNode expected, EvaluationResult result) {
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            // the published figures are rounded to 4 decimals, as the reference prints them
            double rounded = Math.round(result.metric(e.getKey()) * 1e4) / 1e4;
            assertEquals(e.getValue().asDouble(), rounded, TOLERANCE, e.getKey());
        }
    }

    @Test
    void importedWeightsReproduceThePublishedTestMetrics() throws Exception {
        assertMetrics(manifest.get("expected_test"), evaluate(Split.TEST));
    }

    @Test
    void importedWeightsReproduceTheIndependentValidationMetrics() throws Exception {
        assertMetrics(manifest.get("numpy_reimplementation_valid"), evaluate(Split.VALID));
    }

    @Test
    void theImportDropsTheUnusedMaskRowAndTransposesLinearWeights() {
        assertEquals(12102, imported.weights().itemEmbedding().rows());
        assertEquals(256, imported.weights().blocks().get(0).w1().columns());
        assertEquals(ModelKind.MCLREC, imported.kind());
    }
}
