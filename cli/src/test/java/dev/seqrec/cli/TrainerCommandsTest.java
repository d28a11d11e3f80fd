package dev.seqrec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqrec.eval.split.LeaveOneOutSplit;
import dev.seqrec.trainer.checkpoint.Checkpoint;
import dev.seqrec.trainer.training.TrainingOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** train, import-weights and eval --checkpoint through the launcher: exit codes and one-line errors. */
class TrainerCommandsTest {
    /** Item i is followed by i % 6 + 1. */
    private static final String CYCLIC = "a 1 2 3 4 5 6\nb 3 4 5 6 1 2\nc 5 6 1 2 3\nd 2 3 4 5 6 1 2\ne 4 5 6 1 2\n";
    /** A model's history cap above eval's own default of 50. */
    private static final int LONG_MAX_LENGTH = 60;

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

    /** A small, quick sasrec model of {@link #data()} with histories capped at {@code maxLength}, in {@code run}. */
    private void train(Path data, Path run, int maxLength) {
        assertEquals(0, SeqrecCli.run(smallTraining(data, run, "--max-length", "" + maxLength)));
    }

    /** The arguments of a small, quick sasrec training run on {@code data} in {@code run}, then {@code more}. */
    private static String[] smallTraining(Path data, Path run, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--no-progress", "--data", data.toString(), "--model",
                "sasrec", "--out", run.toString(), "--epochs", "1", "--batch-size", "8", "--hidden-size", "8",
                "--heads", "2", "--inner-size", "16", "--layers", "1"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /** {@link #CYCLIC} and a user whose test history (all but the last item) is longer than {@link #LONG_MAX_LENGTH}. */
    private Path dataWithALongUser() throws IOException {
        String longUser = IntStream.rangeClosed(0, LONG_MAX_LENGTH + 1).mapToObj(i -> "" + (i % 6 + 1))
                .collect(Collectors.joining(" ", "long ", "\n"));
        return Files.writeString(dir.resolve("long.txt"), CYCLIC + longUser);
    }

    /** The same trained checkpoint as {@code s2020/best} and {@code s2021/best}: two seeds' runs, say. */
    private List<Path> twoRunsBest() throws Exception {
        Path run = dir.resolve("run");
        train(data(), run, 10);
        List<Path> best = List.of(dir.resolve("s2020/best"), dir.resolve("s2021/best"));
        for (Path copy : best) {
            Files.createDirectories(copy.getParent());
            copyTree(run.resolve("best"), copy);
        }
        return best;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
        }
    }

    /** A run stopped by a signal (Ctrl-C, kill) says where it stands instead of ending without a word. */
    @Test
    @Timeout(120)
    void aStoppedRunSaysWhichEpochResumeContinuesFrom() throws Exception {
        Path run = dir.resolve("run");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), SeqrecCli.class.getName()));
        command.addAll(List.of("train", "--no-progress", "--data", data().toString(), "--model", "sasrec", "--out",
                run.toString(), "--epochs", "100000", "--patience", "100000", "--batch-size", "8", "--hidden-size", "8",
                "--heads", "2", "--inner-size", "16", "--layers", "1"));
        Path errors = dir.resolve("stderr.txt"); // destroy() closes the process's pipes
        Process training = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(training.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("epoch 2:")) {
                // the first epochs: last/ then holds one
            }
            training.destroy(); // SIGTERM, which runs the shutdown hooks as Ctrl-C's SIGINT does
            assertTrue(training.waitFor(60, TimeUnit.SECONDS), "the run stopped");
        }
        String err = Files.readString(errors);
        assertTrue(err.lines().anyMatch(l -> l.matches("seqrec train: interrupted; " + Pattern.quote(
                run.resolve("last").toString()) + " holds epoch [1-9][0-9]*, and the same command with --resume "
                + "continues from there")), err);
    }

    @Test
    void anUnknownModelExitsWithUsageAndOneLine() throws Exception {
        int code = SeqrecCli.run("train", "--data", data().toString(), "--model", "bert4rec", "--out", dir.resolve("o").toString());
        assertEquals(2, code);
        assertEquals(List.of("seqrec: --model must be one of sasrec, cl4srec, mclrec, got 'bert4rec'"), errLines());
    }

    @Test
    void aOneEpochRunIsCountedInTheSingular() throws Exception {
        assertEquals(0, SeqrecCli.run(smallTraining(data(), dir.resolve("run"))));
        String last = console.stdout().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("1 epoch, best epoch 1, "), last);
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
    void importWeightsRefusesAnOutThatIsNotACheckpointAndKeepsItsFiles() throws Exception {
        Path ref = Files.createDirectories(dir.resolve("ref"));
        Path runs = Files.createDirectories(dir.resolve("runs"));
        Path kept = Files.writeString(runs.resolve("notes.txt"), "keep me");
        int code = SeqrecCli.run("import-weights", "--from", ref.toString(), "--data", data().toString(),
                "--out", runs.toString());
        assertEquals(2, code);
        assertEquals(List.of("seqrec: --out " + runs + " exists and is not a seqrec checkpoint (no model.json and "
                + "checksums.sha256); saving there would delete it; give a new directory or a checkpoint to replace"),
                errLines());
        assertEquals("keep me", Files.readString(kept));
    }

    @Test
    void importWeightsRefusesAnOutThatIsItsOwnSource() throws Exception {
        Path ref = Files.createDirectories(dir.resolve("ref"));
        Path sameRef = dir.resolve("ref/../ref/.");
        int code = SeqrecCli.run("import-weights", "--from", ref.toString(), "--data", data().toString(),
                "--out", sameRef.toString());
        assertEquals(2, code);
        assertEquals(List.of("seqrec: --out " + sameRef + " is or contains --from " + ref
                + "; saving there would delete the import's source"), errLines());
        assertTrue(Files.isDirectory(ref));
    }

    @Test
    void importWeightsMayReplaceAnExistingCheckpoint() throws Exception {
        Path checkpoint = Files.createDirectories(dir.resolve("ckpt"));
        Files.writeString(checkpoint.resolve(Checkpoint.MODEL_JSON), "{}");
        Files.writeString(checkpoint.resolve(Checkpoint.CHECKSUMS), "");
        assertImportWeightsAcceptsOut(checkpoint);
    }

    @Test
    void importWeightsMayWriteIntoAnEmptyDirectory() throws Exception {
        assertImportWeightsAcceptsOut(Files.createDirectories(dir.resolve("new-checkpoint")));
    }

    /** Gets past the --out check: the (empty) export given as --from is what fails. */
    private void assertImportWeightsAcceptsOut(Path out) throws Exception {
        Path export = Files.createDirectories(dir.resolve("export"));
        assertEquals(1, SeqrecCli.run("import-weights", "--from", export.toString(), "--data", data().toString(),
                "--out", out.toString()));
        assertTrue(errLines().get(0).contains("no manifest.json"), errLines().toString());
    }

    @Test
    void evalCapsHistoriesAtTheCheckpointsOwnMaxLengthByDefault() throws Exception {
        String table = byLengthTableOfALongMaxLengthModel();
        // evaluated as training evaluated it: the long user keeps all LONG_MAX_LENGTH items, in the group above 50
        assertTrue(table.lines().anyMatch(l -> l.matches("51\\+ +1 .*")), table);
    }

    @Test
    void evalMaxHistoryStillOverridesTheCheckpointsMaxLength() throws Exception {
        String table = byLengthTableOfALongMaxLengthModel("--max-history", "" + LeaveOneOutSplit.DEFAULT_MAX_HISTORY);
        assertTrue(table.lines().anyMatch(l -> l.matches("31-50 +1 .*")), table);
        assertFalse(table.contains("51+"), table);
    }

    /** eval's output, with --by-length, for a model trained with histories of LONG_MAX_LENGTH on data with a longer user. */
    private String byLengthTableOfALongMaxLengthModel(String... options) throws Exception {
        Path data = dataWithALongUser();
        Path run = dir.resolve("run");
        train(data, run, LONG_MAX_LENGTH);
        int before = console.stdout().length();
        List<String> args = new ArrayList<>(List.of("eval", "--no-progress", "--data", data.toString(), "--checkpoint",
                run.toString(), "--by-length", "10"));
        args.addAll(List.of(options));
        assertEquals(0, SeqrecCli.run(args.toArray(String[]::new)));
        return console.stdout().substring(before);
    }

    @Test
    void evalLabelsCheckpointsNamedBestByTheirRuns() throws Exception {
        List<Path> best = twoRunsBest();
        int before = console.stdout().length();
        assertEquals(0, SeqrecCli.run("eval", "--no-progress", "--data", data().toString(), "--checkpoint",
                best.get(0).toString(), "--checkpoint", best.get(1).toString(), "--paired"));
        String output = console.stdout().substring(before);
        assertTrue(output.contains("sasrec (" + Path.of("s2020", "best") + ")")
                && output.contains("sasrec (" + Path.of("s2021", "best") + ")"), output);
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
    void inspectLabelsCheckpointsNamedBestByTheirRuns() throws Exception {
        List<Path> best = twoRunsBest();
        int before = console.stdout().length();
        assertEquals(0, SeqrecCli.run("inspect", "--checkpoint", best.get(0).toString(), "--checkpoint",
                best.get(1).toString()));
        String output = console.stdout().substring(before);
        assertTrue(output.contains(Path.of("s2020", "best") + " norm")
                && output.contains(Path.of("s2021", "best") + " norm"), output);
    }

    @Test
    void inspectingADirectoryWithoutACheckpointFailsWithOneLine() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        assertEquals(1, SeqrecCli.run("inspect", "--checkpoint", dir.resolve("empty").toString()));
        assertEquals(1, errLines().size(), errLines().toString());
        assertTrue(errLines().get(0).startsWith("seqrec inspect: "), errLines().toString());
    }

    @Test
    void aTimeLimitReachedBeforeTheFirstEpochEndsSaysNoEpochCompleted() {
        // Beauty: its first epoch takes far longer than the smallest time limit
        Path beauty = Path.of(System.getProperty("seqrec.shared"), "data/amazon-beauty/beauty.txt");
        assertEquals(0, SeqrecCli.run("train", "--no-progress", "--data", beauty.toString(), "--model", "sasrec",
                "--out", dir.resolve("run").toString(), "--time-limit", "1s"));
        String last = console.stdout().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("no epoch completed; time limit during epoch 1, before any epoch completed"), last);
    }

    @Test
    void aSecondTrainingRunOnTheSameOutFailsAtOnceWithOneLine() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        // the lock a first run would hold (here held by this process, which the run's lock sees just the same)
        try (FileChannel channel = FileChannel.open(run.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = channel.lock()) {
            assertEquals(1, SeqrecCli.run(smallTraining(data(), run)));
        }
        assertEquals(1, errLines().size(), errLines().toString());
        assertTrue(errLines().get(0).startsWith("seqrec train: " + run + " is in use by another training run"),
                errLines().toString());
        assertFalse(console.stdout().contains("training samples"), "refused before training");
        assertFalse(Files.exists(run.resolve("last")));
    }

    @Test
    void aResumeWithoutThreadsKeepsTheThreadCountTheRunTrainedWith() throws Exception {
        Path run = dir.resolve("run");
        String threads = "" + (TrainingOptions.defaultThreads() + 1); // not what the default would give
        assertEquals(0, SeqrecCli.run(smallTraining(data(), run, "--threads", threads)));
        String[] resume = smallTraining(data(), run, "--resume");
        resume[Arrays.asList(resume).indexOf("--epochs") + 1] = "2";
        assertEquals(0, SeqrecCli.run(resume));
        assertEquals(Integer.parseInt(threads),
                Checkpoint.load(run.resolve("last")).provenance().options().get("threads"));
        assertFalse(console.stdout().contains("note:"), console.stdout());
    }

    @Test
    void aResumeOnAnotherExplicitThreadCountSaysTheResultCanDiffer() throws Exception {
        Path run = dir.resolve("run");
        assertEquals(0, SeqrecCli.run(smallTraining(data(), run, "--threads", "2")));
        String[] resume = smallTraining(data(), run, "--resume", "--threads", "1");
        resume[Arrays.asList(resume).indexOf("--epochs") + 1] = "2";
        assertEquals(0, SeqrecCli.run(resume));
        assertTrue(console.stdout().contains("note: resuming epochs trained with 2 compute threads with 1"),
                console.stdout());
    }

    @Test
    void aResumeWithAnotherMaxLengthNamesIt() throws Exception {
        Path run = dir.resolve("run");
        train(data(), run, 10);
        String[] resume = smallTraining(data(), run, "--resume", "--max-length", "12");
        resume[Arrays.asList(resume).indexOf("--epochs") + 1] = "2";
        assertEquals(1, SeqrecCli.run(resume));
        assertEquals(1, errLines().size(), errLines().toString());
        assertTrue(errLines().get(0).contains("was trained with other options (maxLength: 10 -> 12)"),
                errLines().toString());
    }

    @Test
    void trainRefusesAnOutThatIsAFileBeforeTraining() throws Exception {
        Path file = Files.writeString(dir.resolve("outfile"), "hi");
        assertEquals(2, SeqrecCli.run(smallTraining(data(), file)));
        assertEquals(List.of("seqrec: --out " + file + " is a file; give a directory for the run's output"), errLines());
        assertFalse(console.stdout().contains("training samples"), "refused before training");
        assertEquals("hi", Files.readString(file));
    }

    @Test
    void trainRefusesAnOutBelowAFile() throws Exception {
        Path file = Files.writeString(dir.resolve("outfile"), "hi");
        assertEquals(2, SeqrecCli.run(smallTraining(data(), file.resolve("run"))));
        assertEquals(List.of("seqrec: --out " + file.resolve("run") + ": " + file + " is a file, not a directory"),
                errLines());
    }

    @Test
    void aLengthBucketWindowBeyondAnIntIsAUsageError() throws Exception {
        // was "seqrec train: -1734967296" (NegativeArraySizeException) once the data was read
        assertEquals(2, SeqrecCli.run(smallTraining(data(), dir.resolve("run"), "--batching", "length-buckets",
                "--bucket-batches", "300000000")));
        assertEquals(List.of("seqrec: --bucket-batches 300000000 times --batch-size 8 is more than 2147483647 "
                + "samples per length-sorting window"), errLines());
    }

    @Test
    void bucketBatchesWithUniformBatchingAreRefusedAsUnread() throws Exception {
        assertEquals(2, SeqrecCli.run(smallTraining(data(), dir.resolve("run"), "--bucket-batches", "8")));
        assertEquals(List.of("seqrec: --bucket-batches 8 is only read by length-buckets batching; --batching uniform "
                + "would ignore it"), errLines());
    }

    @Test
    void aRegularizerWeightWithNoRegularizerIsRefusedAsUnread() throws Exception {
        assertEquals(2, SeqrecCli.run("train", "--data", data().toString(), "--model", "mclrec", "--out",
                dir.resolve("run").toString(), "--no-regularizer", "--regularizer-weight", "5"));
        assertEquals(List.of("seqrec: --regularizer-weight 5.0 is only read by the regulariser R; --no-regularizer "
                + "would ignore it"), errLines());
    }

    @Test
    void aMisspeltBatchingListsTheValidValues() throws Exception {
        assertEquals(2, SeqrecCli.run(smallTraining(data(), dir.resolve("run"), "--batching", "buckets")));
        assertEquals(2, SeqrecCli.run("bench", "train", "--data", data().toString(), "--batching", "buckets"));
        assertEquals(List.of("seqrec: --batching must be one of uniform, length-buckets, got 'buckets'",
                "seqrec: --batching must be one of uniform, length-buckets, got 'buckets'"), errLines());
    }

    @Test
    void trainHelpSaysLengthBucketsGiveBatchesOfSimilarLengthNotOneLength() {
        StringWriter help = new StringWriter();
        new CommandLine(new SeqrecCli()).getSubcommands().get("train").usage(new PrintWriter(help, true));
        String text = help.toString().replaceAll("\\s+", " ");
        assertFalse(text.contains("one length per batch"), text);
        assertTrue(text.contains("length-buckets = batches of similar length"), text);
    }

    @Test
    void aValidationMetricThatValidationDoesNotComputeIsAUsageError() throws Exception {
        assertEquals(2, SeqrecCli.run(smallTraining(data(), dir.resolve("run"), "--valid-metric", "map@10")));
        assertEquals(List.of("seqrec: --valid-metric must be hr, ndcg or mrr at 5, 10, 20 or 50 (such as mrr@10), got "
                + "map@10"), errLines());
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "Infinity", "0", "3601"})
    void benchTrainRefusesGemmSecondsThatAreNotFinitePositiveAndBounded(String seconds) throws Exception {
        // NaN printed a table of zeros, Infinity never ended
        assertEquals(2, SeqrecCli.run("bench", "train", "--data", dir.resolve("not-read.txt").toString(),
                "--gemm-seconds", seconds));
        assertEquals(1, errLines().size(), errLines().toString());
        assertTrue(errLines().get(0).startsWith("seqrec: --gemm-seconds must be finite, > 0 and at most 3600, got "),
                errLines().toString());
    }

    @Test
    void inspectListsTheTensorsOfEveryCheckpointMarkingThoseOneLacks() throws Exception {
        Path oneLayer = dir.resolve("one");
        Path twoLayers = dir.resolve("two");
        train(data(), oneLayer, 10);
        String[] deeper = smallTraining(data(), twoLayers, "--max-length", "10");
        deeper[Arrays.asList(deeper).indexOf("--layers") + 1] = "2";
        assertEquals(0, SeqrecCli.run(deeper));
        int before = console.stdout().length();
        assertEquals(0, SeqrecCli.run("inspect", "--checkpoint", oneLayer.toString(), "--checkpoint",
                twoLayers.toString()));
        List<String> lines = console.stdout().substring(before).lines().toList();
        List<String> block1 = lines.stream().filter(l -> l.startsWith("block1.")).toList();
        assertEquals(16, block1.size(), lines.toString());
        for (String row : block1) {
            String[] cells = row.trim().split(" {2,}");
            assertEquals("-", cells[2], row);
            Double.parseDouble(cells[3]);
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("block0.wq ")), lines.toString());
    }

    @Test
    void importWeightsRefusesHeadsBelowOneBeforeReadingAnything() throws Exception {
        Path export = Files.createDirectories(dir.resolve("export"));
        assertEquals(2, SeqrecCli.run("import-weights", "--from", export.toString(), "--data",
                dir.resolve("not-read.txt").toString(), "--out", dir.resolve("ckpt").toString(), "--heads", "0"));
        assertEquals(List.of("seqrec: --heads must be >= 1, got 0"), errLines());
    }

    @Test
    void importWeightsRefusesHeadsThatDoNotDivideTheExportsHiddenSize() throws Exception {
        Path export = Files.createDirectories(dir.resolve("export"));
        Files.writeString(export.resolve("manifest.json"),
                "{\"tensors\": [{\"name\": \"position_embedding.weight\", \"shape\": [50, 64]}]}");
        assertEquals(2, SeqrecCli.run("import-weights", "--from", export.toString(), "--data",
                dir.resolve("not-read.txt").toString(), "--out", dir.resolve("ckpt").toString(), "--heads", "3"));
        assertEquals(List.of("seqrec: --heads 3 does not divide the exported model's hidden size 64 ("
                + export.resolve("manifest.json") + ")"), errLines());
    }
}
