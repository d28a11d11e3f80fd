package dev.seqrec.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.seqrec.report.TextTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of one model on one split of one dataset.
 *
 * @param dataset the dataset's name
 * @param split   {@code valid} or {@code test}
 * @param model   the scorer's name
 * @param users   number of evaluated cases (one per user)
 * @param items   number of candidate items N
 * @param metrics "hr@5", "ndcg@5", "mrr@5", "hr@10", ... in that order, each averaged over all cases
 */
public record EvaluationResult(String dataset, String split, String model, int users, int items,
                               Map<String, Double> metrics) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public EvaluationResult {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** The metric with this name, such as {@code ndcg@10}. */
    public double metric(String name) {
        Double value = metrics.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no metric '" + name + "'; this result has " + metrics.keySet());
        }
        return value;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static EvaluationResult fromJson(String json) throws IOException {
        return JSON.readValue(json, EvaluationResult.class);
    }

    /** Several results as one JSON array. */
    public static String toJson(List<EvaluationResult> results) {
        try {
            return JSON.writeValueAsString(results);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A table with one row per result: the model, then every metric. All results must have the same metrics. */
    public static TextTable comparisonTable(List<EvaluationResult> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("no results to tabulate");
        }
        List<String> names = new ArrayList<>(results.get(0).metrics().keySet());
        List<String> headers = new ArrayList<>();
        headers.add("model");
        headers.addAll(names);
        TextTable table = new TextTable(headers, TextTable.DEFAULT_DECIMALS);
        for (EvaluationResult result : results) {
            if (!result.metrics().keySet().equals(results.get(0).metrics().keySet())) {
                throw new IllegalArgumentException("results report different metrics: " + results.get(0).model()
                        + " has " + names + ", " + result.model() + " has " + result.metrics().keySet());
            }
            List<Object> row = new ArrayList<>();
            row.add(result.model());
            for (String name : names) {
                row.add(result.metric(name));
            }
            table.addRow(row);
        }
        return table;
    }
}
