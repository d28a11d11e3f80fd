package dev.seqrec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqrec.trainer.checkpoint.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** train, import-weights and eval --checkpoint through the launcher: exit codes and one-line errors. */
class TrainerCommandsTest {
    /** Item i is followed by i % 6 + 1. */
    private static final String CYCLIC = "a 1 2 3 4 5 6\nb 3 4 5 6 1 2\nc 5 6 1 2 3\nd 2 3 4 5 6 1 2\ne 4 5 6 1 2\n";

    @TempDir
    Path dir;

    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    private List<String> errLines() {
        return console.stderr().lines().filter(l -> l.startsWith("seqrec")).toList();
    }

    private Path data() throws Exception {
        Path file = dir.resolve("cyclic.txt");
        Files.writeString(file, CYCLIC);
        return file;
    }

    @Test
    void anUnknownModelExitsWithUsageAndOneLine() throws Exception {
        int code = SeqrecCli.run("train", "--data", data().toString(), "--model", "bert4rec", "--out", dir.resolve("o").toString());
        assertEquals(2, code);
        assertEquals(1, errLines().size());
        assertTrue(errLines().get(0).contains("unknown model 'bert4rec'"), errLines().toString());
    }

    @Test
    void anUnreadableTimeLimitExitsWithUsage() throws Exception {
        int code = SeqrecCli.run("train", "--data", data().toString(), "--model", "sasrec", "--out",
                dir.resolve("o").toString(), "--time-limit", "soon");
        assertEquals(2, code);
        assertTrue(errLines().get(0).contains("--time-limit"), errLines().toString());
    }

    @Test
    void importingFromADirectoryWithoutManifestFailsWithOneLine() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        int code = SeqrecCli.run("import-weights", "--from", dir.resolve("empty").toString(), "--data", data().toString(),
                "--out", dir.resolve("ckpt").toString());
        assertEquals(1, code);
        assertEquals(1, errLines().size());
        assertTrue(errLines().get(0).contains("no manifest.json"), errLines().toString());
    }

    @Test
    void aTrainedModelIsEvaluatedByEvalCheckpoint() throws Exception {
        Path run = dir.resolve("run");
        assertEquals(0, SeqrecCli.run("train", "--no-progress", "--data", data().toString(), "--model", "sasrec",
                "--out", run.toString(), "--epochs", "2", "--batch-size", "8", "--max-length", "10"));
        assertTrue(Files.isRegularFile(run.resolve("curve.csv")));
        assertTrue(Files.isRegularFile(run.resolve("curve.png")));
        assertTrue(Files.isRegularFile(run.resolve("test.json")));
        assertEquals(0, SeqrecCli.run("eval", "--no-progress", "--data", data().toString(), "--checkpoint", run.toString(),
                "--model", "pop"));
        String table = console.stdout();
        assertTrue(table.contains("sasrec (run)") && table.contains("pop"), table);
    }

    @Test
    void evaluatingACheckpointOnOtherDataFailsWithOneLine() throws Exception {
        Path run = dir.resolve("run");
        assertEquals(0, SeqrecCli.run("train", "--no-progress", "--data", data().toString(), "--model", "sasrec",
                "--out", run.toString(), "--epochs", "1", "--batch-size", "8", "--max-length", "10"));
        Path other = dir.resolve("other.txt");
        Files.writeString(other, "a 1 2 3 4\nb 2 3 4 1\nc 3 4 1 2\n");
        assertEquals(1, SeqrecCli.run("eval", "--no-progress", "--data", other.toString(), "--checkpoint", run.toString()));
        assertTrue(errLines().get(0).contains("knows 6 items"), errLines().toString());
    }

    @Test
    void inspectPrintsProvenanceAndEachCheckpointsTensorNormsSideBySide() throws Exception {
        Path run = dir.resolve("run");
        assertEquals(0, SeqrecCli.run("train", "--no-progress", "--data", data().toString(), "--model", "sasrec",
                "--out", run.toString(), "--epochs", "1", "--batch-size", "8", "--max-length", "10"));
        String sha = Checkpoint.sha256(data());
        int before = console.stdout().length();
        assertEquals(0, SeqrecCli.run("inspect", "--checkpoint", run.toString(), "--checkpoint",
                run.resolve("best").toString()));
        List<String> lines = console.stdout().substring(before).lines().toList();
        assertTrue(lines.get(0).startsWith("run (" + run.resolve("best") + "): sasrec, model version "), lines.get(0));
        assertTrue(lines.contains("  encoder: 6 items, d 64, 2 layers, 2 heads, inner 256, max length 10, "
                + "dropout 0.5 / 0.5"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  provenance: train from ")
                && l.contains("(sha256 " + sha + "), epoch 1,")), lines.toString());
        // both columns are the same checkpoint, so every tensor's two norms are equal
        String itemRow = lines.stream().filter(l -> l.startsWith("item_embedding ")).findFirst().orElseThrow();
        String[] cells = itemRow.trim().split(" {2,}");
        assertEquals("[7, 64]", cells[1]);
        assertEquals(cells[2], cells[3]);
    }

    @Test
    void inspectingADirectoryWithoutACheckpointFailsWithOneLine() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        assertEquals(1, SeqrecCli.run("inspect", "--checkpoint", dir.resolve("empty").toString()));
        assertEquals(1, errLines().size(), errLines().toString());
        assertTrue(errLines().get(0).startsWith("seqrec inspect: "), errLines().toString());
    }
}
