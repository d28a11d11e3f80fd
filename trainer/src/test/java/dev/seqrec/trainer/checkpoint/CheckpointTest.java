package dev.seqrec.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqrec.eval.data.IdMapping;
import dev.seqrec.trainer.model.EncoderConfig;
import dev.seqrec.trainer.model.EncoderWeights;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointTest {
    private static final EncoderConfig CONFIG = new EncoderConfig(3, 4, 1, 2, 8, 5, 0.5, 0.5, 1e-12, 0.02);
    private static final int LOADS_DURING_SAVES = 50;
    /** One load in this many waits for the save under way and keeps the next one back until it has read. */
    private static final int LOADS_PER_LOAD_ALONE = 4;

    @TempDir
    Path tmp;

    static Checkpoint tiny() {
        IdMapping items = new IdMapping();
        items.getOrAdd("apple");
        items.getOrAdd("pear");
        items.getOrAdd("plum");
        Provenance provenance = new Provenance("train", "tiny.txt", "abc", Map.of("epochs", 3), 2,
                Map.of("valid_mrr@10", 0.25), "development", "1.0.0-M2.1", "2026-01-01T00:00:00Z");
        return new Checkpoint(ModelKind.SASREC, CONFIG, EncoderWeights.initialise(CONFIG, 7, DataType.FLOAT), items,
                new long[] {5, 0, 2}, provenance, Map.of("epoch", 2), Map.of("adam.m.x", Nd4j.ones(DataType.FLOAT, 2, 2)));
    }

    @Test
    void savedCheckpointLoadsBackEqual() throws Exception {
        Checkpoint saved = tiny();
        saved.save(tmp.resolve("ckpt"));
        Checkpoint loaded = Checkpoint.load(tmp.resolve("ckpt"));
        assertEquals(ModelKind.SASREC, loaded.kind());
        assertEquals(CONFIG, loaded.config());
        assertEquals(saved.provenance(), loaded.provenance());
        assertEquals("pear", loaded.items().externalId(2));
        assertArrayEquals(new long[] {5, 0, 2}, loaded.itemCounts());
        assertEquals(2, ((Number) loaded.trainingCounters().get("epoch")).intValue());
        assertEquals(Nd4j.ones(DataType.FLOAT, 2, 2), loaded.trainingState().get("adam.m.x"));
        saved.weights().tensors().forEach((name, t) -> assertEquals(t, loaded.weights().tensors().get(name), name));
    }

    @Test
    void savingOverAnExistingCheckpointReplacesItAndLeavesNoTemporaryFiles() throws Exception {
        tiny().save(tmp.resolve("ckpt"));
        tiny().save(tmp.resolve("ckpt"));
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count());
        }
        Checkpoint.load(tmp.resolve("ckpt"));
    }

    @Test
    void modelVersionIsShortAndChangesWithTheWeights() throws Exception {
        tiny().save(tmp.resolve("a"));
        Checkpoint other = tiny();
        other.weights().itemEmbedding().putScalar(1, 1, 3.0);
        other.save(tmp.resolve("b"));
        String a = Checkpoint.modelVersion(tmp.resolve("a"));
        assertEquals(12, a.length());
        assertFalse(a.equals(Checkpoint.modelVersion(tmp.resolve("b"))));
    }

    @Test
    void modelVersionIgnoresProvenance() throws Exception {
        Checkpoint a = tiny();
        a.save(tmp.resolve("a"));
        Provenance later = new Provenance("train", "tiny.txt", "abc", Map.of("epochs", 3), 2, Map.of(),
                "development", "1.0.0-M2.1", "2027-01-01T00:00:00Z");
        Checkpoint.of(a.kind(), a.config(), a.weights(), a.items(), a.itemCounts(), later).save(tmp.resolve("b"));
        assertEquals(Checkpoint.modelVersion(tmp.resolve("a")), Checkpoint.modelVersion(tmp.resolve("b")));
    }

    @Test
    void aCorruptWeightFileIsRejectedByName() throws Exception {
        tiny().save(tmp.resolve("ckpt"));
        Path file = tmp.resolve("ckpt/weights/block0.wq.npy");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 1;
        Files.write(file, bytes);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(tmp.resolve("ckpt")));
        assertTrue(e.getMessage().contains("weights/block0.wq.npy is corrupt"), e.getMessage());
    }

    @Test
    void aMissingFileIsRejectedByName() throws Exception {
        tiny().save(tmp.resolve("ckpt"));
        Files.delete(tmp.resolve("ckpt/items.txt"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(tmp.resolve("ckpt")));
        assertTrue(e.getMessage().contains("missing file items.txt"), e.getMessage());
    }

    @Test
    void anotherFormatVersionIsRejected() throws Exception {
        tiny().save(tmp.resolve("ckpt"));
        Path model = tmp.resolve("ckpt/model.json");
        Files.writeString(model, Files.readString(model).replace("\"format_version\" : 1", "\"format_version\" : 99"));
        // re-sign so only the version is wrong
        Path sums = tmp.resolve("ckpt/checksums.sha256");
        StringBuilder fixed = new StringBuilder();
        for (String line : Files.readAllLines(sums)) {
            fixed.append(line.endsWith("  model.json") ? Checkpoint.sha256(model) + "  model.json" : line).append('\n');
        }
        Files.writeString(sums, fixed, StandardCharsets.UTF_8);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(tmp.resolve("ckpt")));
        assertTrue(e.getMessage().contains("format 99 is not supported"), e.getMessage());
    }

    @Test
    void aDirectoryWithoutAModelIsNotACheckpoint() throws Exception {
        Files.createDirectories(tmp.resolve("empty"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(tmp.resolve("empty")));
        assertTrue(e.getMessage().contains("has no model.json"), e.getMessage());
    }

    @Test
    void aTrainingOutputDirectoryResolvesToItsBestCheckpoint() throws Exception {
        tiny().save(tmp.resolve("run/best"));
        assertEquals(tmp.resolve("run/best"), Checkpoint.resolve(tmp.resolve("run")));
    }

    /** What a crash between a save's two renames leaves: the old copy moved aside, nothing in its place. */
    private Path crashBetweenRenames(Path dir) throws Exception {
        Path aside = dir.resolveSibling("." + dir.getFileName() + ".old-" + System.nanoTime());
        Files.move(dir, aside);
        return aside;
    }

    @Test
    void aCheckpointLeftAsideByAnInterruptedSaveStillLoads() throws Exception {
        tiny().save(tmp.resolve("ckpt"));
        crashBetweenRenames(tmp.resolve("ckpt"));
        assertEquals("pear", Checkpoint.load(tmp.resolve("ckpt")).items().externalId(2));
    }

    @Test
    void aBestCheckpointLeftAsideIsWhatATrainingOutputResolvesTo() throws Exception {
        tiny().save(tmp.resolve("run/best"));
        Path aside = crashBetweenRenames(tmp.resolve("run/best"));
        assertEquals(aside.toAbsolutePath(), Checkpoint.resolve(tmp.resolve("run")));
    }

    @Test
    void theNextSavePutsBackWhatAnInterruptedSaveLeftAndClearsItsLeftovers() throws Exception {
        tiny().save(tmp.resolve("ckpt"));
        crashBetweenRenames(tmp.resolve("ckpt"));
        Files.createDirectories(tmp.resolve(".ckpt.tmp-123/weights")); // a save that died while writing
        Checkpoint newer = tiny();
        newer.weights().itemEmbedding().putScalar(1, 1, 3.0);
        newer.save(tmp.resolve("ckpt"));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of("ckpt"), files.map(f -> f.getFileName().toString()).toList());
        }
        assertEquals(3.0, Checkpoint.load(tmp.resolve("ckpt")).weights().itemEmbedding().getDouble(1, 1), 0.0);
    }

    @Test
    void aLoadDuringRepeatedSavesNeverMixesTwoCheckpoints() throws Exception {
        Path dir = tmp.resolve("ckpt");
        versioned(0).save(dir);
        AtomicBoolean saving = new AtomicBoolean(true);
        AtomicReference<Exception> saveFailure = new AtomicReference<>();
        // Held by every save, and by every few loads: those meet no save and must succeed, so that the loop ends on
        // any machine, however slow its loads are next to the saves
        Semaphore noSave = new Semaphore(1, true);
        Thread writer = new Thread(() -> {
            try {
                for (int version = 1; saving.get(); version++) {
                    noSave.acquire();
                    try {
                        versioned(version).save(dir);
                    } finally {
                        noSave.release();
                    }
                    Thread.sleep(1);
                }
            } catch (Exception e) {
                saveFailure.set(e);
            }
        });
        writer.start();
        try {
            int loaded = 0;
            for (int attempt = 1; loaded < LOADS_DURING_SAVES; attempt++) {
                boolean alone = attempt % LOADS_PER_LOAD_ALONE == 0;
                if (alone) {
                    noSave.acquire();
                }
                try {
                    Checkpoint c = Checkpoint.load(dir);
                    // each version writes its number into the weights and the provenance: a mix would disagree
                    assertEquals(c.provenance().epoch(), c.weights().itemEmbedding().getDouble(1, 1), 0.0);
                    loaded++;
                } catch (CheckpointException e) {
                    // allowed while saves go on: a clear refusal when every retry met a save
                    assertFalse(alone, "a load that met no save failed: " + e.getMessage());
                    assertTrue(e.getMessage().contains("replaced by another save while being read"), e.getMessage());
                } finally {
                    if (alone) {
                        noSave.release();
                    }
                }
            }
        } finally {
            saving.set(false);
            writer.join();
        }
        assertEquals(null, saveFailure.get());
    }

    private static Checkpoint versioned(int version) {
        Checkpoint c = tiny();
        c.weights().itemEmbedding().putScalar(1, 1, version);
        Provenance p = c.provenance();
        return Checkpoint.of(c.kind(), c.config(), c.weights(), c.items(), c.itemCounts(), new Provenance(p.source(),
                p.dataFile(), p.dataSha256(), p.options(), version, p.metrics(), p.seqrecVersion(), p.nd4jVersion(),
                p.created()));
    }
}
