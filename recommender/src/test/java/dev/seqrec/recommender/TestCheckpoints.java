package dev.seqrec.recommender;

import dev.seqrec.eval.data.IdMapping;
import dev.seqrec.recommender.model.CheckpointLoader;
import dev.seqrec.recommender.model.ServingModel;
import dev.seqrec.trainer.checkpoint.Checkpoint;
import dev.seqrec.trainer.checkpoint.ModelKind;
import dev.seqrec.trainer.checkpoint.Provenance;
import dev.seqrec.trainer.model.EncoderConfig;
import dev.seqrec.trainer.model.EncoderWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Small checkpoints written through the trainer's Checkpoint API: items "i1".."i{N}", where i1 was trained on most,
 * i2 next and so on (so popularity answers i1, i2, ...), and an encoder with seeded random weights.
 */
public final class TestCheckpoints {
    public static final int ITEMS = 30;
    private static final int HIDDEN = 16;
    private static final int HEADS = 2;
    private static final int INNER = 32;
    private static final int MAX_LENGTH = 8;
    private static final double INIT_STD = 0.5;

    private TestCheckpoints() {
    }

    /** Writes a checkpoint whose weights come from {@code seed}; different seeds give different model versions. */
    public static Path write(Path dir, long seed) {
        EncoderConfig config = new EncoderConfig(ITEMS, HIDDEN, 2, HEADS, INNER, MAX_LENGTH, 0.5, 0.5, 1e-12, INIT_STD);
        EncoderWeights weights = EncoderWeights.initialise(config, seed, DataType.FLOAT);
        IdMapping items = new IdMapping();
        long[] counts = new long[ITEMS];
        for (int i = 1; i <= ITEMS; i++) {
            items.getOrAdd(item(i));
            counts[i - 1] = 10L * (ITEMS - i + 1);
        }
        Provenance provenance = new Provenance("train", "tiny.txt", "0".repeat(64), Map.of("seed", seed), 1,
                Map.of("test_hr@10", 0.25, "pop_test_hr@10", 0.1), "test", "test", "2026-01-01T00:00:00Z");
        try {
            Checkpoint.of(ModelKind.SASREC, config, weights, items, counts, provenance).save(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    public static ServingModel model(Path dir, long seed) {
        try {
            return CheckpointLoader.load(write(dir, seed));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String item(int denseId) {
        return "i" + denseId;
    }
}
