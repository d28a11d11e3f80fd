package dev.seqrec.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluationResultTest {

    private static EvaluationResult result(String model, double hr) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("hr@5", hr);
        metrics.put("ndcg@5", hr / 2);
        metrics.put("mrr@5", hr / 4);
        return new EvaluationResult("beauty", "test", model, 3, 10, metrics);
    }

    @Test
    void jsonHasTheDocumentedTopLevelFieldsAndMetricOrder() throws IOException {
        JsonNode json = new ObjectMapper().readTree(result("pop", 0.5).toJson());
        List<String> fields = new ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("dataset", "split", "model", "users", "items", "metrics"), fields);
        List<String> metrics = new ArrayList<>();
        json.get("metrics").fieldNames().forEachRemaining(metrics::add);
        assertEquals(List.of("hr@5", "ndcg@5", "mrr@5"), metrics);
        assertEquals(0.25, json.get("metrics").get("ndcg@5").asDouble());
    }

    @Test
    void jsonReadsBackToAnEqualResult() throws IOException {
        EvaluationResult original = result("pop", 0.5);
        assertEquals(original, EvaluationResult.fromJson(original.toJson()));
    }

    @Test
    void comparisonTableHasOneRowPerModel() {
        String text = EvaluationResult.comparisonTable(List.of(result("pop", 0.5), result("mclrec", 0.75))).toText();
        assertEquals("""
                model     hr@5  ndcg@5   mrr@5
                ------  ------  ------  ------
                pop     0.5000  0.2500  0.1250
                mclrec  0.7500  0.3750  0.1875
                """, text);
    }

    @Test
    void aComparisonTableOfNoResultsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvaluationResult.comparisonTable(List.of()));
        assertEquals("no results to tabulate", e.getMessage());
    }

    @Test
    void aComparisonTableOfResultsWithDifferentMetricsIsRefusedNamingEachModelsMetrics() {
        EvaluationResult at10 = new EvaluationResult("beauty", "test", "mclrec", 3, 10, Map.of("hr@10", 0.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvaluationResult.comparisonTable(List.of(result("pop", 0.5), at10)));
        assertEquals("results report different metrics: pop has [hr@5, ndcg@5, mrr@5], mclrec has [hr@10]",
                e.getMessage());
    }

    @Test
    void askingForAMissingMetricNamesTheOnesThereAre() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> result("pop", 0.5).metric("hr@10"));
        assertTrue(e.getMessage().contains("hr@5"), e.getMessage());
    }
}
