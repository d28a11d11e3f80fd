package dev.seqrec.recommender.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqrec.trainer.checkpoint.Checkpoint;
import dev.seqrec.trainer.checkpoint.CheckpointException;
import dev.seqrec.trainer.checkpoint.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a trainer checkpoint directory into a {@link ServingModel}. Everything that can be wrong with a checkpoint
 * (missing, corrupt, another format, inconsistent shapes, non-finite weights) surfaces here as a
 * {@link CheckpointException} naming the problem, before anything is served from it. The training curve and test
 * results beside it only decorate the model card: an unreadable one is logged and left off, and the model serves.
 */
public final class CheckpointLoader {
    /** Metric keys with this prefix belong to the popularity baseline in the model card. */
    public static final String BASELINE_PREFIX = "pop_";
    public static final String BASELINE = "pop";
    /** Per-epoch training figures (CSV with a header) that the trainer writes beside {@code best/}; optional. */
    public static final String TRAINING_CURVE = "curve.csv";
    /**
     * Test-split results the trainer writes beside {@code best/} (an evaluation result, or an array of them with
     * baselines); optional. Their metrics join the card as {@code test_<metric>} under each result's model name,
     * where the checkpoint's provenance has no figure of that name.
     */
    public static final String TEST_RESULTS = "test.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointLoader.class);

    private CheckpointLoader() {
    }

    /**
     * Loads the checkpoint at {@code dir}: a checkpoint directory, or a training output directory whose
     * {@code best/} is one. The model card's version names the very weights loaded, even where a training run saves
     * over the checkpoint meanwhile; its training curve and test results are read from the training directory.
     *
     * @throws CheckpointException naming the problem when there is no checkpoint, or it is corrupt, of another format,
     *                             inconsistent (shapes, item counts) or holds non-finite weights
     */
    public static ServingModel load(Path dir) throws CheckpointException {
        // The version must name the weights loaded, or a watcher would take a newer save for served and never load it
        Checkpoint.Versioned loaded = Checkpoint.loadVersioned(dir);
        Checkpoint checkpoint = loaded.checkpoint();
        String version = loaded.version();
        Path training = trainingDirectory(dir);
        Provenance provenance = checkpoint.provenance();
        String kind = checkpoint.kind().label();
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        provenance.metrics().forEach((key, value) -> {
            boolean baseline = key.startsWith(BASELINE_PREFIX);
            metrics.computeIfAbsent(baseline ? BASELINE : kind, k -> new LinkedHashMap<>())
                    .put(baseline ? key.substring(BASELINE_PREFIX.length()) : key, value);
        });
        testResults(training, kind, metrics);
        Path dataFile = provenance.dataFile() == null ? null : Path.of(provenance.dataFile()).getFileName();
        String dataset = dataFile == null ? Objects.requireNonNullElse(provenance.dataFile(), "") : dataFile.toString();
        ModelCard card = new ModelCard(kind, version, dataset, checkpoint.config().numItems(), metrics,
                trainingCurve(training));
        try {
            return new ServingModel(card, checkpoint.config(), checkpoint.weights(), checkpoint.items(),
                    checkpoint.itemCounts());
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(dir + ": " + e.getMessage());
        }
    }

    /**
     * Where the training curve and test results can be: the directory holding the checkpoint, as a checkpoint's
     * checksums admit no file of theirs. That is {@code dir} for a training output (a directory without model.json),
     * else the one above: also while a save replaces {@code dir}, which is then briefly missing. Unlike a second
     * {@link Checkpoint#resolve}, this cannot fail once the weights have loaded, nor name another save's directory.
     */
    private static Path trainingDirectory(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        boolean trainingOutput = Files.isDirectory(absolute)
                && !Files.isRegularFile(absolute.resolve(Checkpoint.MODEL_JSON));
        return trainingOutput ? absolute : absolute.getParent();
    }

    /** {@code name} in the training directory; null when it is not there, or the checkpoint is a file system root. */
    private static Path inTrainingDirectory(Path training, String name) {
        if (training == null) {
            return null;
        }
        Path file = training.resolve(name);
        return Files.isRegularFile(file) ? file : null;
    }

    private static void testResults(Path training, String kind, Map<String, Map<String, Double>> metrics) {
        Path file = inTrainingDirectory(training, TEST_RESULTS);
        if (file == null) {
            return;
        }
        try {
            JsonNode tree = JSON.readTree(file.toFile());
            for (JsonNode result : tree.isArray() ? tree : List.of(tree)) {
                String model = result.path("model").asText(kind);
                // The checkpoint's own test figures win: a test.json can outlive the model it was computed for
                result.path("metrics").fields().forEachRemaining(metric -> metrics
                        .computeIfAbsent(model.equals(kind) ? kind : model, k -> new LinkedHashMap<>())
                        .putIfAbsent("test_" + metric.getKey(), metric.getValue().asDouble()));
            }
        } catch (IOException e) {
            LOG.warn("{}: unreadable test results, left off the model card: {}", file, e.getMessage());
        }
    }

    private static List<Map<String, Double>> trainingCurve(Path training) {
        Path file = inTrainingDirectory(training, TRAINING_CURVE);
        if (file == null) {
            return List.of();
        }
        try {
            List<String> lines = Files.readAllLines(file);
            List<Map<String, Double>> rows = new ArrayList<>();
            if (lines.isEmpty()) {
                return rows;
            }
            String[] header = lines.get(0).split(",");
            for (int i = 1; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                String[] cells = lines.get(i).split(",");
                Map<String, Double> row = new LinkedHashMap<>();
                for (int c = 0; c < Math.min(header.length, cells.length); c++) {
                    Double value = number(cells[c]);
                    if (value != null) {
                        row.put(header[c].trim(), value);
                    }
                }
                rows.add(row);
            }
            return rows;
        } catch (IOException e) {
            LOG.warn("{}: unreadable training curve, left off the model card: {}", file, e.getMessage());
            return List.of();
        }
    }

    /** A numeric cell's value; null for empty or text cells (such as a model name), which the curve leaves out. */
    private static Double number(String cell) {
        try {
            return cell.isBlank() ? null : Double.parseDouble(cell.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
