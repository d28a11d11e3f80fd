package dev.seqrec.cli;

import dev.seqrec.streaming.BrokerConfig;
import dev.seqrec.streaming.IngestConfig;
import dev.seqrec.streaming.Interaction;
import dev.seqrec.streaming.InteractionIngestor;
import dev.seqrec.streaming.LocalKafkaBroker;
import dev.seqrec.streaming.RocksSequenceStore;
import dev.seqrec.streaming.StoreConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** import, export, bench ingest and the error paths of the streaming commands, through the launcher. */
class StreamingCommandsTest {
    private static final long TIMEOUT_MILLIS = 60_000;

    @TempDir
    static Path brokerDir;
    private static LocalKafkaBroker broker;

    @TempDir
    Path dir;

    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    @BeforeAll
    static void startBroker() {
        broker = LocalKafkaBroker.start(BrokerConfig.onFreePort(brokerDir));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private String out() {
        return console.stdout();
    }

    private List<String> errLines() {
        return console.stderr().lines().toList();
    }

    @Test
    void importedFileIngestedAndExportedComesBackUnchanged() throws Exception {
        Path input = dir.resolve("tiny.txt");
        Files.writeString(input, "u1 a b c\nu2 c d\nu3 a\n");
        assertEquals(0, SeqrecCli.run("import", "--no-progress", "--data", input.toString(),
                "--bootstrap", broker.bootstrapServers(), "--topic", "cli-roundtrip", "--partitions", "1"));
        assertTrue(out().contains("sent 6 events of 3 users to cli-roundtrip (1 partition)"), out());

        Path store = dir.resolve("store");
        try (RocksSequenceStore sequences = RocksSequenceStore.open(store, StoreConfig.defaults());
             InteractionIngestor ingestor = new InteractionIngestor(
                     IngestConfig.of(broker.bootstrapServers(), "cli-roundtrip"), sequences)) {
            ingestor.start();
            long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
            while (sequences.counts().events() < 6) {
                if (System.currentTimeMillis() >= deadline) {
                    fail("the ingestor stored " + sequences.counts().events() + " of the 6 events imported into "
                            + "cli-roundtrip within " + TIMEOUT_MILLIS + " ms");
                }
                Thread.sleep(20);
            }
        }
        Path exported = dir.resolve("exported.txt");
        assertEquals(0, SeqrecCli.run("export", "--store", store.toString(), "--out", exported.toString()));
        assertEquals(Files.readString(input), Files.readString(exported));
        assertTrue(out().contains("exported 3 users"), out());
    }

    @Test
    void exportRefusesToReplaceAFileUnlessToldTo() throws IOException {
        Path store = storeWithOneUser();
        Path notes = Files.writeString(dir.resolve("notes.txt"), "mine\n");
        assertEquals(2, SeqrecCli.run("export", "--store", store.toString(), "--out", notes.toString()));
        assertEquals(List.of("seqrec: --out " + notes + " exists; give --overwrite to replace it"), errLines());
        assertEquals("mine\n", Files.readString(notes));
        assertEquals(0, SeqrecCli.run("export", "--store", store.toString(), "--out", notes.toString(), "--overwrite"));
        assertEquals("u1 a\n", Files.readString(notes));
    }

    @Test
    void exportRefusesAnOutputInsideTheStore() throws IOException {
        Path store = storeWithOneUser();
        Path current = store.resolve("CURRENT");
        String before = Files.readString(current);
        assertEquals(2, SeqrecCli.run("export", "--store", store.toString(), "--out", current.toString(),
                "--overwrite"));
        assertEquals(List.of("seqrec: --out " + current + " lies inside --store " + store + ": writing there "
                + "would damage the store"), errLines());
        assertEquals(before, Files.readString(current));
    }

    private Path storeWithOneUser() {
        Path store = dir.resolve("one-user");
        try (RocksSequenceStore sequences = RocksSequenceStore.open(store, StoreConfig.defaults())) {
            sequences.append(List.of(Interaction.of("u1", "a")));
        }
        return store;
    }

    @Test
    void exportOfAMissingStoreFailsWithOneLine() {
        Path missing = dir.resolve("nothing-here");
        assertEquals(1, SeqrecCli.run("export", "--store", missing.toString(), "--out", dir.resolve("x.txt").toString()));
        assertEquals(List.of("seqrec export: no sequence store at " + missing), errLines());
    }

    /** "dirout/" became the Path "dirout": the export wrote a file of that name where the user meant a directory. */
    @Test
    void exportToADirectoryIsAUsageErrorNamingOut() throws Exception {
        Path store = dir.resolve("nothing-here"); // refused before the store is opened
        String slashed = dir.resolve("dirout") + "/";
        assertEquals(2, SeqrecCli.run("export", "--store", store.toString(), "--out", slashed));
        Path existing = Files.createDirectory(dir.resolve("existing"));
        assertEquals(2, SeqrecCli.run("export", "--store", store.toString(), "--out", existing.toString()));
        assertEquals(2, SeqrecCli.run(new EnvironmentDefaults(java.util.Map.of("SEQREC_EXPORT_OUT", existing + "/")),
                "export", "--store", store.toString()));
        assertEquals(List.of("seqrec: --out " + slashed + " ends with a separator, so names a directory; give a file name",
                "seqrec: --out " + existing + " is a directory; give a file name",
                "seqrec: --out " + existing + " is a directory; give a file name (from SEQREC_EXPORT_OUT)"), errLines());
        assertTrue(Files.notExists(dir.resolve("dirout")));
    }

    @Test
    void importOfABadFileFailsWithOneLineNamingTheLine() throws Exception {
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "u1 a\nlonely\n");
        assertEquals(1, SeqrecCli.run("import", "--no-progress", "--data", bad.toString(),
                "--bootstrap", broker.bootstrapServers(), "--topic", "never-written"));
        assertEquals(1, errLines().size(), errLines().toString());
        assertTrue(errLines().get(0).startsWith("seqrec import: ") && errLines().get(0).contains(":2:"), errLines().toString());
    }

    @Test
    void importOfAFileWithAnUnknownExtensionIsAUsageErrorThatNamesDataFormat() throws Exception {
        Path dat = Files.writeString(dir.resolve("tiny.dat"), "u1 a b\n");
        assertEquals(2, SeqrecCli.run("import", "--no-progress", "--data", dat.toString(),
                "--bootstrap", broker.bootstrapServers(), "--topic", "never-written"));
        assertEquals(List.of("seqrec: cannot tell the format of --data " + dat + " from its extension (.txt, .inter "
                + "or .csv); give --data-format txt|inter|csv"), errLines());
    }

    @Test
    void badOptionValuesExitWithUsageStatus() {
        assertEquals(2, SeqrecCli.run("ingest", "--bootstrap", "127.0.0.1:1", "--topic", "t", "--store",
                dir.resolve("s").toString(), "--start", "yesterday"));
        assertEquals(List.of("seqrec: --start must be earliest or latest, got 'yesterday'"), errLines());
    }

    @Test
    void aDeadLetterTopicEqualToTheTopicExitsWithUsageStatus() {
        assertEquals(2, SeqrecCli.run("ingest", "--bootstrap", "127.0.0.1:1", "--topic", "t", "--store",
                dir.resolve("s").toString(), "--dlq-topic", "t"));
        assertEquals(List.of("seqrec: the dead-letter topic must differ from the topic 't': malformed events sent "
                + "there would be consumed again"), errLines());
    }

    @Test
    void aNegativeFlushIntervalExitsWithUsageStatus() {
        assertEquals(2, SeqrecCli.run("ingest", "--bootstrap", "127.0.0.1:1", "--topic", "t", "--store",
                dir.resolve("s").toString(), "--flush-interval", "-1"));
        assertEquals(List.of("seqrec: --flush-interval must be >= 0 milliseconds, got -1"), errLines());
    }

    /** Refused before any work in the words of the options, not of IngestConfig's or StoreConfig's fields. */
    @Test
    void ingestOptionValuesOutOfRangeAreUsageErrorsNamingTheOption() {
        String store = dir.resolve("s").toString();
        String[][] cases = {
                {"--max-length", "0"}, {"--writer-threads", "0"}, {"--log-interval", "0"},
                {"--max-poll-records", "0"}, {"--max-id-bytes", "0"}, {"--group", " "},
        };
        for (String[] option : cases) {
            assertEquals(2, SeqrecCli.run("ingest", "--bootstrap", "127.0.0.1:1", "--topic", "t", "--store", store,
                    option[0], option[1]), option[0]);
        }
        assertEquals(List.of("seqrec: --max-length must be between 1 and 16777216, got 0",
                "seqrec: --writer-threads must be >= 1, got 0",
                "seqrec: --log-interval must be >= 1, got 0",
                "seqrec: --max-poll-records must be >= 1, got 0",
                "seqrec: --max-id-bytes must be >= 1, got 0",
                "seqrec: --group must not be empty"), errLines());
        assertTrue(Files.notExists(dir.resolve("s")), "no store was created");
    }

    @Test
    void ingestIntoAStoreThatIsAFileIsAUsageErrorNamingStore() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "not a store\n");
        assertEquals(2, SeqrecCli.run("ingest", "--bootstrap", "127.0.0.1:1", "--topic", "t", "--store",
                file.toString()));
        assertEquals(2, SeqrecCli.run("ingest", "--bootstrap", "127.0.0.1:1", "--topic", "t", "--store",
                file.resolve("store").toString()));
        assertEquals(List.of("seqrec: --store " + file + " is a file, not a directory",
                "seqrec: --store " + file.resolve("store") + ": " + file + " is a file, not a directory"), errLines());
    }

    /** RocksDB's own words were "While lock file: .../LOCK: Resource temporarily unavailable". */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void ingestIntoAStoreAnotherProcessWritesFailsWithOneLineSayingItIsInUse() throws Exception {
        Path store = dir.resolve("store");
        Path log = dir.resolve("ingest.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), SeqrecCli.class.getName(), "ingest",
                "--bootstrap", broker.bootstrapServers(), "--topic", "cli-store-in-use", "--store", store.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
            while (!Files.readString(log).contains("(each user's last ") && child.isAlive()
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(child.isAlive(), Files.readString(log));
            assertEquals(1, SeqrecCli.run("ingest", "--bootstrap", broker.bootstrapServers(), "--topic",
                    "cli-store-in-use", "--store", store.toString()));
            assertEquals(List.of("seqrec ingest: sequence store " + store + " is in use by another process (its LOCK "
                    + "file is held)"), errLines());
        } finally {
            child.destroy();
            assertTrue(child.waitFor(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS), "ingest stops on SIGTERM");
        }
    }

    @Test
    void importOptionValuesOutOfRangeAreUsageErrorsNamingTheOption() throws Exception {
        Path input = Files.writeString(dir.resolve("tiny.txt"), "u1 a b\n");
        String[][] cases = {
                {"--bootstrap", "127.0.0.1:1", "--topic", "t", "--partitions", "0"},
                {"--bootstrap", "", "--topic", "t"},
                {"--bootstrap", "127.0.0.1", "--topic", "t"},
                {"--bootstrap", "127.0.0.1:1", "--topic", " "},
                {"--bootstrap", "127.0.0.1:1", "--topic", "t", "--max-id-bytes", "0"},
        };
        for (String[] options : cases) {
            List<String> args = new java.util.ArrayList<>(List.of("import", "--no-progress", "--data",
                    input.toString()));
            args.addAll(List.of(options));
            assertEquals(2, SeqrecCli.run(args.toArray(String[]::new)), args.toString());
        }
        assertEquals(List.of("seqrec: --partitions must be >= 1, got 0",
                "seqrec: --bootstrap must not be empty",
                "seqrec: --bootstrap must be HOST:PORT[,HOST:PORT...], got '127.0.0.1'",
                "seqrec: --topic must not be empty",
                "seqrec: --max-id-bytes must be >= 1, got 0"), errLines());
    }

    /** The Kafka client's own words were "Failed to create new KafkaAdminClient". */
    @Test
    void importToAHostThatDoesNotResolveIsRefusedNamingBootstrapAndTheHost() throws Exception {
        Path input = Files.writeString(dir.resolve("tiny.txt"), "u1 a b\n");
        assertEquals(2, SeqrecCli.run("import", "--no-progress", "--data", input.toString(), "--topic", "t",
                "--bootstrap", "notahost.invalid:9092"));
        assertEquals(List.of("seqrec: --bootstrap notahost.invalid:9092: cannot resolve host notahost.invalid"),
                errLines());
    }

    /**
     * An import to a broker that is down printed about one NetworkClient warning a second for its 30 s before its
     * own line; the launcher's logging keeps those out but not their errors, nor the rest of Kafka's warnings.
     */
    @Test
    void theLaunchersLoggingLeavesOutKafkaConnectionWarningsOnly() throws Exception {
        ch.qos.logback.classic.LoggerContext context = new ch.qos.logback.classic.LoggerContext();
        ch.qos.logback.classic.joran.JoranConfigurator configurator = new ch.qos.logback.classic.joran.JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(SeqrecCli.class.getResource("/logback.xml"));
        assertEquals(ch.qos.logback.classic.Level.ERROR,
                context.getLogger("org.apache.kafka.clients.NetworkClient").getEffectiveLevel());
        for (String other : List.of("org.apache.kafka.clients.ClientUtils", "org.apache.kafka.clients.admin.KafkaAdminClient",
                "org.apache.kafka.clients.consumer.internals.ConsumerCoordinator", "kafka.server.BrokerServer")) {
            assertEquals(ch.qos.logback.classic.Level.WARN, context.getLogger(other).getEffectiveLevel(), other);
        }
        context.stop();
    }

    @Test
    void benchIngestCountsBelowOneAreUsageErrorsNamingTheOption() {
        assertEquals(2, SeqrecCli.run("bench", "ingest", "--events", "-1"));
        assertEquals(2, SeqrecCli.run("bench", "ingest", "--rounds", "0"));
        assertEquals(2, SeqrecCli.run("bench", "ingest-writers", "--passes", "0"));
        assertEquals(List.of("seqrec: --events must be >= 1, got -1", "seqrec: --rounds must be >= 1, got 0",
                "seqrec: --passes must be >= 1, got 0"), errLines());
    }

    @Test
    void aBrokerOnADirectoryAnotherBrokerUsesFailsAtOnceWithOneLineNamingIt() {
        assertEquals(1, SeqrecCli.run("broker", "--port", "0", "--dir", brokerDir.toString()));
        assertEquals(List.of("seqrec broker: broker directory " + brokerDir.toAbsolutePath()
                + " is in use by another broker"), errLines());
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // an ingest that starts runs until SIGTERM
    void ingestWithAnotherMaxLengthThanTheStoresFailsWithOneLineSayingTheStoresOwn() {
        Path store = dir.resolve("store");
        RocksSequenceStore.open(store, StoreConfig.defaults().withMaxSequenceLength(1000)).close();
        assertEquals(1, SeqrecCli.run("ingest", "--bootstrap", broker.bootstrapServers(), "--topic", "never-read",
                "--store", store.toString(), "--max-length", "200"));
        assertEquals(List.of("seqrec ingest: sequence store " + store + " keeps each user's last 1000 items (fixed "
                + "when it was created), not 200: pass --max-length 1000, or use a new store"), errLines());
    }

    /**
     * A store created with --max-length 1000 and ingested into again without the flag keeps histories longer than
     * the default of 200. An ingest that starts runs until SIGTERM, so it runs in a process of its own, as deployed.
     */
    @Test
    @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void ingestWithoutMaxLengthKeepsTheOneTheStoreWasCreatedWith() throws Exception {
        int recorded = 1000;
        int historyLength = StoreConfig.DEFAULT_MAX_SEQUENCE_LENGTH + 50; // what the default would cut
        Path store = dir.resolve("store");
        RocksSequenceStore.open(store, StoreConfig.defaults().withMaxSequenceLength(recorded)).close();
        Path input = Files.writeString(dir.resolve("long.txt"), "u1" + IntStream.range(0, historyLength)
                .mapToObj(i -> " i" + i).collect(Collectors.joining()) + "\n");
        assertEquals(0, SeqrecCli.run("import", "--no-progress", "--data", input.toString(),
                "--bootstrap", broker.bootstrapServers(), "--topic", "cli-long-history", "--partitions", "1"));

        Path log = dir.resolve("ingest.log");
        ProcessBuilder ingest = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), SeqrecCli.class.getName(), "ingest",
                "--bootstrap", broker.bootstrapServers(), "--topic", "cli-long-history", "--store", store.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        ingest.environment().remove("SEQREC_INGEST_MAX_LENGTH"); // nothing may give the flag's value
        Process child = ingest.start();
        try {
            long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
            while (storedLength(store) < historyLength && System.currentTimeMillis() < deadline && child.isAlive()) {
                Thread.sleep(200);
            }
        } finally {
            child.destroy(); // SIGTERM: ingest finishes its batch and closes the store
            assertTrue(child.waitFor(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS), "ingest stops on SIGTERM");
        }
        String output = Files.readString(log);
        assertTrue(output.contains("(each user's last " + recorded + " items"), output);
        try (RocksSequenceStore sequences = RocksSequenceStore.open(store, StoreConfig.defaults())) {
            assertEquals(recorded, sequences.maxSequenceLength());
            assertEquals(historyLength, sequences.sequenceLength("u1"), output);
        }
    }

    /** The user's stored history length as a reader sees it now (the ingest process holds the store for writing). */
    private static int storedLength(Path store) {
        try (RocksSequenceStore snapshot = RocksSequenceStore.openReadOnly(store)) {
            return snapshot.sequenceLength("u1");
        }
    }

    @Test
    void importCreatesTheTopicWithTheReplicationFactorGiven() throws Exception {
        Path input = Files.writeString(dir.resolve("tiny.txt"), "u1 a b\n");
        // One broker cannot hold two replicas: the failure shows the option reached the topic's creation
        assertEquals(1, SeqrecCli.run("import", "--no-progress", "--data", input.toString(),
                "--bootstrap", broker.bootstrapServers(), "--topic", "replicated", "--replication-factor", "2"));
        assertEquals(1, errLines().size(), errLines().toString());
        assertTrue(errLines().get(0).startsWith("seqrec import: cannot create topic replicated on ")
                && errLines().get(0).contains("replication factor of 2"), errLines().toString());
        assertEquals(2, SeqrecCli.run("import", "--no-progress", "--data", input.toString(),
                "--bootstrap", broker.bootstrapServers(), "--topic", "replicated", "--replication-factor", "0"));
        assertTrue(errLines().contains("seqrec: --replication-factor must be in 1..32767, got 0"), errLines().toString());
        assertEquals(0, SeqrecCli.run("import", "--no-progress", "--data", input.toString(),
                "--bootstrap", broker.bootstrapServers(), "--topic", "replicated", "--replication-factor", "1"));
        assertTrue(out().contains("sent 2 events of 1 user to replicated"), out());
    }

    @Test
    void benchIngestPrintsBothRatesAndTheirRatioAndWritesAChart() throws Exception {
        Path chart = dir.resolve("bench.png");
        assertEquals(0, SeqrecCli.run("bench", "ingest", "--bootstrap", broker.bootstrapServers(), "--events", "3000",
                "--users", "100", "--items", "50", "--warmup-rounds", "1", "--rounds", "1", "--chart", chart.toString()));
        assertTrue(out().contains("best raw consumer:") && out().contains("best ingest path:")
                && out().contains("ratio ingest/raw:"), out());
        assertTrue(Files.size(chart) > 0);
    }

    @Test
    void benchIngestCountsASingleWarmUpRoundInTheSingular() throws Exception {
        assertEquals(0, SeqrecCli.run("bench", "ingest", "--bootstrap", broker.bootstrapServers(), "--events", "300",
                "--users", "10", "--items", "5", "--warmup-rounds", "1", "--rounds", "1", "--chart",
                dir.resolve("bench.png").toString()));
        assertTrue(out().contains("after 1 unreported warm-up round. Clock:"), out());
    }

    @Test
    void benchIngestWritersPrintsEachPartsCpuPerEventAndWritesAChart() throws Exception {
        Path chart = dir.resolve("writers.png");
        assertEquals(0, SeqrecCli.run("bench", "ingest-writers", "--events", "3000", "--users", "100", "--items", "50",
                "--passes", "2", "--chart", chart.toString()));
        assertTrue(out().contains("decode us/event") && out().contains("least CPU: pass"), out());
        assertTrue(Files.size(chart) > 0);
    }
}
