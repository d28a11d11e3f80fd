package dev.seqrec.recommender.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqrec.recommender.TestCheckpoints;
import dev.seqrec.trainer.checkpoint.CheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void aCheckpointWithAMissingWeightFileIsRefusedNamingIt() throws IOException {
        Path checkpoint = TestCheckpoints.write(dir.resolve("ckpt"), 1);
        Files.delete(checkpoint.resolve("weights").resolve("block1.w2.npy"));
        CheckpointException error = assertThrows(CheckpointException.class, () -> CheckpointLoader.load(checkpoint));
        assertTrue(error.getMessage().contains("block1.w2.npy"), error.getMessage());
    }
}
