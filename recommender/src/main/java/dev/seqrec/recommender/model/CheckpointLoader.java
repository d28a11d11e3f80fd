package dev.seqrec.recommender.model;

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

/**
 * Turns a trainer checkpoint directory into a {@link ServingModel}. Everything that can be wrong with a checkpoint
 * (missing, corrupt, another format, inconsistent shapes, non-finite weights) surfaces here as a
 * {@link CheckpointException} naming the problem, before anything is served from it.
 */
public final class CheckpointLoader {
    /** Metric keys with this prefix belong to the popularity baseline in the model card. */
    public static final String BASELINE_PREFIX = "pop_";
    public static final String BASELINE = "pop";
    /** Optional per-epoch training figures (CSV with a header), in the checkpoint or the training directory. */
    public static final String TRAINING_CURVE = "training_curve.csv";

    private CheckpointLoader() {
    }

    public static ServingModel load(Path dir) throws CheckpointException {
        Path root = Checkpoint.resolve(dir);
        Checkpoint checkpoint = Checkpoint.load(root);
        String version = Checkpoint.modelVersion(root);
        Provenance provenance = checkpoint.provenance();
        String kind = checkpoint.kind().label();
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        provenance.metrics().forEach((key, value) -> {
            boolean baseline = key.startsWith(BASELINE_PREFIX);
            metrics.computeIfAbsent(baseline ? BASELINE : kind, k -> new LinkedHashMap<>())
                    .put(baseline ? key.substring(BASELINE_PREFIX.length()) : key, value);
        });
        String dataset = provenance.dataFile() == null ? "" : Path.of(provenance.dataFile()).getFileName().toString();
        ModelCard card = new ModelCard(kind, version, dataset, checkpoint.config().numItems(), metrics,
                trainingCurve(root));
        try {
            return new ServingModel(card, checkpoint.config(), checkpoint.weights(), checkpoint.items(),
                    checkpoint.itemCounts());
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(root + ": " + e.getMessage());
        }
    }

    private static List<Map<String, Double>> trainingCurve(Path root) throws CheckpointException {
        Path file = root.resolve(TRAINING_CURVE);
        if (!Files.isRegularFile(file) && root.getParent() != null) {
            file = root.getParent().resolve(TRAINING_CURVE);
        }
        if (!Files.isRegularFile(file)) {
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
                    if (!cells[c].isBlank()) {
                        row.put(header[c].trim(), Double.parseDouble(cells[c].trim()));
                    }
                }
                rows.add(row);
            }
            return rows;
        } catch (IOException | NumberFormatException e) {
            throw new CheckpointException(file + ": unreadable training curve: " + e.getMessage());
        }
    }
}
