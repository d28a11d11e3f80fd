package dev.seqrec.recommender.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqrec.ndarray.NpyFormat;
import dev.seqrec.recommender.TestCheckpoints;
import dev.seqrec.trainer.checkpoint.Checkpoint;
import dev.seqrec.trainer.checkpoint.CheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointLoaderTest {
    @TempDir
    Path dir;

    @Test
    void aTrainingDirectorysCurveAndTestResultsJoinTheModelCard() throws IOException {
        TestCheckpoints.write(dir.resolve("best"), 1);
        Files.writeString(dir.resolve("curve.csv"), "epoch,model,train_loss,valid_mrr@10\n1,sasrec,9.5,0.01\n2,sasrec,8.7,\n");
        Files.writeString(dir.resolve("test.json"),
                "{\"dataset\":\"tiny\",\"model\":\"sasrec\",\"metrics\":{\"hr@10\":0.3,\"mrr@10\":0.1}}");
        ModelCard card = CheckpointLoader.load(dir).card();
        assertEquals(List.of(Map.of("epoch", 1.0, "train_loss", 9.5, "valid_mrr@10", 0.01),
                Map.of("epoch", 2.0, "train_loss", 8.7)), card.trainingCurve());
        assertEquals(0.1, card.metrics().get("sasrec").get("test_mrr@10"));
        assertEquals(0.1, card.metrics().get("pop").get("test_hr@10"));
    }

    @Test
    void theCheckpointsOwnTestFiguresOutrankATestJsonBesideIt() throws IOException {
        TestCheckpoints.write(dir.resolve("best"), 1); // its provenance: test_hr@10 0.25
        Files.writeString(dir.resolve("test.json"), "{\"model\":\"sasrec\",\"metrics\":{\"hr@10\":0.3}}");
        assertEquals(0.25, CheckpointLoader.load(dir).card().metrics().get("sasrec").get("test_hr@10"));
    }

    @Test
    void unreadableTestResultsAndCurveAreLeftOffTheCardAndTheModelLoads() throws IOException {
        TestCheckpoints.write(dir.resolve("best"), 1);
        Files.writeString(dir.resolve("test.json"), "{\"model\":"); // cut short by a crash, say
        Files.write(dir.resolve("curve.csv"), new byte[] {(byte) 0xff, (byte) 0xfe, 'x'}); // not UTF-8
        ModelCard card = CheckpointLoader.load(dir).card();
        assertEquals(Map.of("test_hr@10", 0.25), card.metrics().get("sasrec")); // the provenance's own
        assertEquals(List.of(), card.trainingCurve());
    }

    @Test
    void aCheckpointGivenDirectlyReadsItsCurveFromTheTrainingDirectoryAboveIt() throws IOException {
        Path checkpoint = TestCheckpoints.write(dir.resolve("best"), 1);
        Files.writeString(dir.resolve("curve.csv"), "epoch,train_loss\n1,9.5\n");
        assertEquals(List.of(Map.of("epoch", 1.0, "train_loss", 9.5)),
                CheckpointLoader.load(checkpoint).card().trainingCurve());
    }

    @Test
    void aCurveInsideTheCheckpointIsRefusedAsAFileTheChecksumsDoNotList() throws IOException {
        Path checkpoint = TestCheckpoints.write(dir.resolve("best"), 1);
        Files.writeString(checkpoint.resolve("curve.csv"), "epoch,train_loss\n1,9.5\n");
        CheckpointException error = assertThrows(CheckpointException.class, () -> CheckpointLoader.load(dir));
        assertTrue(error.getMessage().endsWith("file curve.csv is not listed in checksums.sha256"), error.getMessage());
    }

    @Test
    void aCheckpointLeftAsideByAnInterruptedSaveKeepsItsTrainingDirectorysCurve() throws IOException {
        // A save that stopped between its two renames: best/ is gone, the complete old copy lies beside it
        TestCheckpoints.write(dir.resolve(".best.old-1"), 1);
        Files.writeString(dir.resolve("curve.csv"), "epoch,train_loss\n1,9.5\n");
        for (Path given : List.of(dir, dir.resolve("best"))) {
            assertEquals(List.of(Map.of("epoch", 1.0, "train_loss", 9.5)),
                    CheckpointLoader.load(given).card().trainingCurve(), given.toString());
        }
    }

    /** A path without a file name, such as the root, used to fail the load with a NullPointerException. */
    @Test
    void aDataFileWithoutAFileNameIsTheCardsDatasetAsItIs() throws IOException {
        Path checkpoint = TestCheckpoints.write(dir.resolve("ckpt"), 1);
        Path json = checkpoint.resolve(Checkpoint.MODEL_JSON);
        Files.writeString(json, Files.readString(json).replace("\"tiny.txt\"", "\"/\""));
        relist(checkpoint);
        assertEquals("/", CheckpointLoader.load(checkpoint).card().dataset());
    }

    @Test
    void aNonFiniteWeightIsRefusedNamingTheTensor() throws IOException {
        Path checkpoint = TestCheckpoints.write(dir.resolve("ckpt"), 1);
        Path file = checkpoint.resolve("weights/block0.b1.npy");
        INDArray bias = NpyFormat.read(file);
        bias.putScalar(3, Float.NaN);
        Nd4j.writeAsNumpy(bias, file.toFile());
        relist(checkpoint);
        assertRefused(checkpoint, "blocks[0].b1 holds a non-finite value");
    }

    @Test
    void weightsShapedOtherwiseThanModelJsonSaysAreRefusedNamingTheTensor() throws IOException {
        Path checkpoint = TestCheckpoints.write(dir.resolve("ckpt"), 1);
        Nd4j.writeAsNumpy(Nd4j.zeros(DataType.FLOAT, 9, 16), checkpoint.resolve("weights/position_embedding.npy")
                .toFile());
        relist(checkpoint);
        assertRefused(checkpoint, "tensor 'position_embedding' has shape [9, 16], expected [8, 16] "
                + "(model.json and weights disagree)");

        Path edited = TestCheckpoints.write(dir.resolve("edited"), 1);
        Path json = edited.resolve(Checkpoint.MODEL_JSON);
        Files.writeString(json, Files.readString(json).replace("\"innerSize\" : 32", "\"innerSize\" : 40"));
        relist(edited);
        assertRefused(edited, "tensor 'block0.w1' has shape [16, 32], expected [16, 40] "
                + "(model.json and weights disagree)");
    }

    @Test
    void anItemListOfAnotherLengthThanTheModelsIsRefused() throws IOException {
        Path checkpoint = TestCheckpoints.write(dir.resolve("ckpt"), 1);
        Files.writeString(checkpoint.resolve(Checkpoint.ITEMS), "extra\n", StandardOpenOption.APPEND);
        relist(checkpoint);
        assertRefused(checkpoint, "item mapping (31), item counts (30) and model (30) disagree on the number of items");
    }

    @Test
    void aDuplicateOrEmptyItemIdIsRefusedNamingTheLine() throws IOException {
        for (String replacement : List.of("i1", "")) {
            Path checkpoint = TestCheckpoints.write(dir.resolve("ckpt-" + replacement), 1);
            Path items = checkpoint.resolve(Checkpoint.ITEMS);
            Files.writeString(items, Files.readString(items).replace("i2\n", replacement + "\n"));
            relist(checkpoint);
            assertRefused(checkpoint, "items.txt:2: " + (replacement.isEmpty() ? "empty id" : "duplicate id 'i1'"));
        }
    }

    @Test
    void aMalformedChecksumLineIsRefusedQuotingIt() throws IOException {
        Path checkpoint = TestCheckpoints.write(dir.resolve("ckpt"), 1);
        Files.writeString(checkpoint.resolve(Checkpoint.CHECKSUMS), "not a checksum line\n", StandardOpenOption.APPEND);
        assertRefused(checkpoint, "malformed line in checksums.sha256: not a checksum line");
    }

    @Test
    void aCheckpointWithAMissingWeightFileIsRefusedNamingIt() throws IOException {
        Path checkpoint = TestCheckpoints.write(dir.resolve("ckpt"), 1);
        Files.delete(checkpoint.resolve("weights").resolve("block1.w2.npy"));
        CheckpointException error = assertThrows(CheckpointException.class, () -> CheckpointLoader.load(checkpoint));
        assertTrue(error.getMessage().contains("block1.w2.npy"), error.getMessage());
    }

    private static void assertRefused(Path checkpoint, String reason) {
        CheckpointException error = assertThrows(CheckpointException.class, () -> CheckpointLoader.load(checkpoint));
        assertTrue(error.getMessage().endsWith(reason), error.getMessage());
    }

    /** Lists the checkpoint's files in its checksums again, as a save would, after a test changed one. */
    private static void relist(Path checkpoint) throws IOException {
        StringBuilder sums = new StringBuilder();
        try (Stream<Path> files = Files.walk(checkpoint)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = checkpoint.relativize(file).toString().replace('\\', '/');
                if (!name.equals(Checkpoint.CHECKSUMS)) {
                    sums.append(Checkpoint.sha256(file)).append("  ").append(name).append('\n');
                }
            }
        }
        Files.writeString(checkpoint.resolve(Checkpoint.CHECKSUMS), sums);
    }
}
