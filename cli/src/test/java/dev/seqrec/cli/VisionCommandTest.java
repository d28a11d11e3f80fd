package dev.seqrec.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class VisionCommandTest {

    /** A run small enough for a test: 256 train and 64 test images, a tiny network, one epoch. */
    private static final List<String> TINY_RUN = List.of("--train-limit", "256", "--test-limit", "64",
            "--epochs", "1", "--batch-size", "64", "--channels", "4,8", "--head-hidden-dim", "16",
            "--probe-epochs", "2");

    @TempDir
    Path dir;

    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    private List<String> seqrecErrLines() {
        return console.stderr().lines().filter(l -> l.startsWith("seqrec")).toList();
    }

    @Test
    void trainThenEvalWritesTheRunAndOneComparisonTable() throws Exception {
        Path run = dir.resolve("run");
        List<String> train = new java.util.ArrayList<>(List.of("vision", "train", "--out", run.toString()));
        train.addAll(TINY_RUN);
        assertEquals(0, SeqrecCli.run(train.toArray(String[]::new)), console.stderr());
        for (String file : List.of("accuracy.csv", "accuracy.png", "summary.md", "run.properties",
                "encoder.properties", "conv2_w.npy")) {
            assertTrue(Files.isRegularFile(run.resolve(file)), file + " written");
        }
        assertEquals(3, Files.readAllLines(run.resolve("accuracy.csv")).size(), "header, epoch 0, epoch 1");
        assertFalse(console.stdout().contains("Added differentiated op"), "ND4J's differentiation lines on stdout");

        Path table = dir.resolve("table.md");
        Path chart = dir.resolve("chart.png");
        assertEquals(0, SeqrecCli.run("vision", "eval", "--run", run.toString(), "--train-limit", "256",
                "--test-limit", "64", "--probe-epochs", "2", "--out", table.toString(), "--chart", chart.toString()));
        String markdown = Files.readString(table);
        assertTrue(markdown.contains("| infonce"), markdown);
        assertTrue(markdown.contains("pixels linear probe"), markdown);
        assertTrue(Files.size(chart) > 0);

        // The recorded figures need no images at all.
        Path recorded = dir.resolve("recorded.md");
        assertEquals(0, SeqrecCli.run("vision", "eval", "--recorded", "--at-epoch", "0", "--run", run.toString(),
                "--data", dir.resolve("no-images-here").toString(), "--out", recorded.toString()));
        String epochZero = Files.readString(recorded);
        assertTrue(epochZero.lines().anyMatch(line -> line.contains("| infonce") && line.matches(".*\\|\\s+0 \\|.*")), epochZero);
    }

    /** One step of 64 images on a two-channel network: enough to show what the seeds decide. */
    private Path trainOneStep(String name, String... options) {
        Path run = dir.resolve(name);
        List<String> train = new java.util.ArrayList<>(List.of("vision", "train", "--out", run.toString(),
                "--train-limit", "64", "--test-limit", "16", "--batch-size", "64", "--channels", "2,2",
                "--head-hidden-dim", "4", "--probe-epochs", "1", "--knn-k", "1"));
        train.addAll(List.of(options));
        assertEquals(0, SeqrecCli.run(train.toArray(String[]::new)), console.stderr());
        return run;
    }

    @Test
    void aRunWithoutSeedsEqualsOneGivingTheDefaultSeedsAndRecordsBoth() throws Exception {
        Path byDefault = trainOneStep("default", "--epochs", "1");
        Path explicit = trainOneStep("explicit", "--epochs", "1", "--seed", "1", "--init-seed", "42");
        assertArrayEquals(Files.readAllBytes(byDefault.resolve("conv1_w.npy")),
                Files.readAllBytes(explicit.resolve("conv1_w.npy")), "trained weights");
        assertEquals(Files.readAllLines(byDefault.resolve("accuracy.csv")).get(2).split(",")[1],
                Files.readAllLines(explicit.resolve("accuracy.csv")).get(2).split(",")[1], "epoch 1 loss");
        java.util.Properties properties = new java.util.Properties();
        try (var reader = Files.newBufferedReader(byDefault.resolve("run.properties"))) {
            properties.load(reader);
        }
        assertEquals("1", properties.getProperty("seed"));
        assertEquals("42", properties.getProperty("initSeed"));
    }

    @Test
    void seedLeavesTheInitialWeightsToInitSeed() throws Exception {
        Path run = trainOneStep("seed7", "--epochs", "0", "--seed", "7");
        Path reference = dir.resolve("reference");
        dev.seqrec.vision.model.EncoderCheckpoint.save(new dev.seqrec.vision.model.ConvEncoder(
                org.nd4j.autodiff.samediff.SameDiff.create(),
                new dev.seqrec.vision.model.ConvEncoderConfig(28, 28, 2, 2, 4, 64, 42L)), reference);
        assertArrayEquals(Files.readAllBytes(reference.resolve("conv1_w.npy")),
                Files.readAllBytes(run.resolve("conv1_w.npy")));
    }

    @Test
    void trainingIntoADirectoryHoldingARunIsRefusedAndLeavesItAlone() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(run.resolve("run.properties"), "loss=infonce\n");
        List<String> train = new java.util.ArrayList<>(List.of("vision", "train", "--out", run.toString(), "--loss", "dcl"));
        train.addAll(TINY_RUN);
        assertEquals(1, SeqrecCli.run(train.toArray(String[]::new)));
        assertEquals(List.of("seqrec vision train: " + run + " holds a run already (run.properties); choose another --out, "
                + "or delete it first"), seqrecErrLines());
        assertEquals("loss=infonce\n", Files.readString(run.resolve("run.properties")));
    }

    @Test
    void missingDataDirectoryExitsNonZeroWithOneLineNamingIt() {
        Path missing = dir.resolve("no-such-dir");
        int code = SeqrecCli.run("vision", "train", "--out", dir.resolve("run").toString(), "--data", missing.toString());
        assertEquals(1, code);
        List<String> lines = seqrecErrLines();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("seqrec vision train: ") && lines.get(0).contains(missing.toString()), lines.get(0));
    }

    @Test
    void evalOfADirectoryWithoutCheckpointExitsNonZero() {
        int code = SeqrecCli.run("vision", "eval", "--run", dir.toString());
        assertEquals(1, code);
        String err = console.stderr();
        assertTrue(err.contains("not an encoder checkpoint"), err);
    }

    @Test
    void anAtEpochWithoutRecordedOrBelowZeroIsAUsageError() {
        assertEquals(2, SeqrecCli.run("vision", "eval", "--run", dir.toString(), "--at-epoch", "3"));
        assertEquals(2, SeqrecCli.run("vision", "eval", "--run", dir.toString(), "--recorded", "--at-epoch", "-1"));
        String err = console.stderr();
        assertTrue(err.contains("seqrec: --at-epoch needs --recorded"), err);
        assertTrue(err.contains("seqrec: --at-epoch must be 0 (before training) or more, got -1"), err);
    }

    @Test
    void visionWithoutSubcommandIsAUsageError() {
        assertEquals(2, SeqrecCli.run("vision"));
    }
}
