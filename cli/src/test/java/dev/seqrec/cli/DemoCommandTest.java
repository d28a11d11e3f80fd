package dev.seqrec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqrec.eval.data.ReadOptions;
import dev.seqrec.report.ProgressBar;
import dev.seqrec.streaming.BrokerConfig;
import dev.seqrec.streaming.DatasetImporter;
import dev.seqrec.streaming.ImportConfig;
import dev.seqrec.streaming.LocalKafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    Path dir;

    /** Runs the launcher and returns its exit code followed by what it printed on stderr. */
    private static String[] run(String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = SeqrecCli.run(args);
            return new String[] {Integer.toString(code), err.toString(StandardCharsets.UTF_8).strip()};
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void missingDataFileStopsTheDemoWithOneLineNamingIt() {
        Path missing = dir.resolve("nowhere.txt");
        String[] result = run("demo", "--data", missing.toString(), "--work", dir.resolve("work").toString());
        assertEquals("1", result[0]);
        assertFalse(result[1].contains("\n"), result[1]);
        assertTrue(result[1].startsWith("seqrec demo: no data file at " + missing), result[1]);
    }

    @Test
    void trainingTimeThatIsNoDurationIsRefusedBeforeAnythingStarts() throws Exception {
        Path data = Files.writeString(dir.resolve("tiny.txt"), "u1 a b c\n");
        String[] result = run("demo", "--data", data.toString(), "--work", dir.resolve("work").toString(),
                "--train-time", "soon");
        assertEquals("2", result[0], "a usage error, as for every other command's option values");
        assertEquals("seqrec: --train-time: 'soon' is not a duration such as 90s, 3m, 2h or 1h30m", result[1]);
        assertFalse(Files.exists(dir.resolve("work")), "nothing was built");
    }

    /** As the user wrote it: DemoSettings would print the Duration, "PT0S". */
    @Test
    void aTrainingTimeOfZeroIsRefusedInTheUsersWords() throws Exception {
        Path data = Files.writeString(dir.resolve("tiny.txt"), "u1 a b c\n");
        String[] result = run("demo", "--data", data.toString(), "--work", dir.resolve("work").toString(),
                "--train-time", "0s");
        assertEquals("2", result[0]);
        assertEquals("seqrec: --train-time must be positive, got 0s", result[1]);
        assertFalse(Files.exists(dir.resolve("work")), "nothing was built");
    }

    @Test
    void anHttpPortInUseIsRefusedBeforeAnythingStarts() throws Exception {
        Path data = Files.writeString(dir.resolve("tiny.txt"), "u1 a b c\n");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String[] result = run("demo", "--data", data.toString(), "--work", dir.resolve("work").toString(),
                    "--port", String.valueOf(taken.getLocalPort()));
            assertEquals("1", result[0]);
            assertEquals("seqrec demo: port " + taken.getLocalPort() + " on 127.0.0.1 is in use; choose another with --port",
                    result[1]);
        }
        assertFalse(Files.exists(dir.resolve("work")), "nothing was built");
    }

    @Test
    void aTrainTimeSpentByTheFirstEpochIsWhatStoppedTrainingNotAnEpochLimit() throws Exception {
        // five users whose item i is followed by i % 6 + 1: a first epoch of a few batches, far longer than 1 ms
        Path data = Files.writeString(dir.resolve("cyclic.txt"),
                "a 1 2 3 4 5 6\nb 3 4 5 6 1 2\nc 5 6 1 2 3\nd 2 3 4 5 6 1 2\ne 4 5 6 1 2\n");
        DemoWorkspace workspace = DemoWorkspace.create(dir.resolve("work"));
        DemoSettings settings = new DemoSettings(data, workspace.root(), 8080, 0, "interactions", 1,
                Duration.ofMillis(1), DemoSettings.DEFAULT_MAX_EPOCHS);
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            new DemoCommand().train(settings, workspace, "sha");
        } finally {
            System.setOut(original);
        }
        // the demo's summary, after the trainer's own log of its one-epoch run
        String summary = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("  1 epoch in "))
                .findFirst().orElse(out.toString(StandardCharsets.UTF_8));
        assertTrue(summary.endsWith("; stopped: --train-time 1 ms spent by the first epoch, which the demo always "
                + "completes"), summary);
    }

    @Test
    void importRecordSurvivesARestartOfTheDemo() throws Exception {
        DemoWorkspace workspace = DemoWorkspace.create(dir);
        DemoWorkspace.ImportRecord record = new DemoWorkspace.ImportRecord("ab12", "interactions", 42);
        workspace.writeImportRecord(record);
        assertEquals(Optional.of(record), DemoWorkspace.create(dir).importRecord());
    }

    @Test
    void unreadableImportRecordMeansImportAgain() throws Exception {
        DemoWorkspace workspace = DemoWorkspace.create(dir);
        Files.writeString(dir.resolve("imported.properties"), "events=many\n");
        assertEquals(Optional.empty(), workspace.importRecord());
    }

    @Test
    void anImportThatDidNotFinishIsRedoneFromAnEmptyTopicWithANewStore() throws Exception {
        Path data = Files.writeString(dir.resolve("tiny.txt"), "u1 a b c\nu2 b c d\n");
        DemoWorkspace workspace = DemoWorkspace.create(dir.resolve("work"));
        Files.createDirectories(workspace.storeDir());
        Files.createDirectories(workspace.checkpointDir());
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(BrokerConfig.onFreePort(dir.resolve("kafka")))) {
            // what a run stopped during its import leaves: some events in the topic and no import record
            Path firstUser = Files.writeString(dir.resolve("partial.txt"), "u1 a b c\n");
            DatasetImporter.importFile(firstUser, ReadOptions.DEFAULTS,
                    ImportConfig.of(broker.bootstrapServers(), "interactions"), ProgressBar.Mode.LOG_LINES);
            // ports unused here: the broker is the test's own
            DemoSettings settings = new DemoSettings(data, workspace.root(), 8080, 9092, "interactions", 1,
                    Duration.ofMinutes(1), 1);
            new DemoCommand().importData(settings, workspace, broker.bootstrapServers(), "sha", 6);
            assertEquals(6, DemoCommand.topicEvents(broker.bootstrapServers(), "interactions"));
        }
        assertFalse(Files.exists(workspace.storeDir()), "the store built from the unfinished import is gone");
        assertTrue(Files.exists(workspace.checkpointDir()), "the model stays: training checks its data file itself");
        assertEquals(Optional.of(new DemoWorkspace.ImportRecord("sha", "interactions", 6)), workspace.importRecord());
    }
}
