package dev.seqrec.cli;

import dev.seqrec.eval.FullRankingEvaluator;
import dev.seqrec.eval.baseline.PopularityScorer;
import dev.seqrec.eval.data.DatasetReader;
import dev.seqrec.eval.data.ReadOptions;
import dev.seqrec.eval.data.SequenceDataset;
import dev.seqrec.eval.split.EvaluationCases;
import dev.seqrec.eval.split.LeaveOneOutSplit;
import dev.seqrec.eval.split.Split;
import dev.seqrec.recommender.model.CheckpointLoader;
import dev.seqrec.recommender.service.SeqrecService;
import dev.seqrec.report.ProgressBar;
import dev.seqrec.report.TextTable;
import dev.seqrec.streaming.BrokerConfig;
import dev.seqrec.streaming.DatasetImporter;
import dev.seqrec.streaming.ImportConfig;
import dev.seqrec.streaming.IngestConfig;
import dev.seqrec.streaming.IngestMetrics;
import dev.seqrec.streaming.InteractionIngestor;
import dev.seqrec.streaming.KafkaTopics;
import dev.seqrec.streaming.LocalKafkaBroker;
import dev.seqrec.streaming.RocksSequenceStore;
import dev.seqrec.streaming.StoreConfig;
import dev.seqrec.streaming.StoreCounts;
import dev.seqrec.trainer.checkpoint.Checkpoint;
import dev.seqrec.trainer.checkpoint.CheckpointException;
import dev.seqrec.trainer.checkpoint.ModelKind;
import dev.seqrec.trainer.checkpoint.Provenance;
import dev.seqrec.trainer.model.ComputeBackend;
import dev.seqrec.trainer.training.DatasetPreset;
import dev.seqrec.trainer.training.Trainer;
import dev.seqrec.trainer.training.TrainingOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seqrec demo}: the whole system on one machine with nothing installed by hand. Starts an embedded broker,
 * imports a dataset into a topic, ingests it into a store, trains a quick model, evaluates it next to the popularity
 * baseline and serves it with the console until Ctrl-C. A second run reuses what the first built.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Broker, import, ingest, train (bounded time), evaluate and serve with the web console.")
public final class DemoCommand implements Callable<Integer> {
    private static final int STAGES = 6;
    private static final Duration INGEST_POLL = Duration.ofMillis(200);
    private static final Duration INGEST_STALL_LIMIT = Duration.ofMinutes(2);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final String TEST_PREFIX = "test_";
    private static final int SECONDS_PER_MINUTE = 60;
    /** The spec's Beauty settings (dropout 0.5) are its general defaults too. */
    private static final DatasetPreset DEMO_PRESET = DatasetPreset.BEAUTY;

    @Option(names = "--data", paramLabel = "FILE",
            description = "Interactions to import, train and evaluate on (default: the shipped Beauty data, ${DEFAULT-VALUE}).")
    Path data = DemoSettings.fromCheckout(DemoSettings.DEFAULT_DATA);

    @Option(names = "--work", paramLabel = "DIR", description = "Working directory kept between runs (default: ${DEFAULT-VALUE}).")
    Path work = DemoSettings.fromCheckout(DemoSettings.DEFAULT_WORK_DIR);

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP port of the service and console (default: ${DEFAULT-VALUE}).")
    int port = DemoSettings.DEFAULT_HTTP_PORT;

    @Option(names = "--broker-port", paramLabel = "PORT", description = "Port of the embedded Kafka broker; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int brokerPort = DemoSettings.DEFAULT_BROKER_PORT;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "Interaction topic (default: ${DEFAULT-VALUE}).")
    String topic = DemoSettings.DEFAULT_TOPIC;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions of the interaction topic (default: ${DEFAULT-VALUE}).")
    int partitions = DemoSettings.DEFAULT_PARTITIONS;

    @Option(names = "--train-time", paramLabel = "DURATION",
            description = "Bound on training time, e.g. 3m or 90s (default: ${DEFAULT-VALUE}).")
    String trainTime = DemoSettings.DEFAULT_TRAIN_TIME.toMinutes() + "m";

    @Option(names = "--max-epochs", paramLabel = "N", description = "Bound on training epochs (default: ${DEFAULT-VALUE}).")
    int maxEpochs = DemoSettings.DEFAULT_MAX_EPOCHS;

    @Spec
    CommandSpec spec;

    private final PrintStream out = System.out;
    private final Deque<AutoCloseable> running = new ConcurrentLinkedDeque<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        DemoSettings settings;
        try {
            settings = new DemoSettings(data.toAbsolutePath().normalize(), work.toAbsolutePath().normalize(), port,
                    brokerPort, topic, partitions, DurationOption.parsePositive("--train-time", trainTime), maxEpochs);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage()); // a usage error: exit 2
        }
        if (!Files.isRegularFile(settings.data())) {
            throw new IOException("no data file at " + settings.data() + " (the shipped Beauty data lives in ../shared "
                    + "beside the checkout; pass --data FILE)");
        }
        // The service listens on the loopback address (application.yml); it binds only at stage 6, minutes from now
        PortProbe.requireFree(InetAddress.getLoopbackAddress(), settings.httpPort(), "--port");
        ComputeBackend.start(); // after the options are checked: a bad one is refused before anything starts
        DemoWorkspace workspace = DemoWorkspace.create(settings.workDir());
        Thread stopOnSignal = new Thread(this::stopEverything, "seqrec-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(stopOnSignal);
        out.println("seqrec demo: working directory " + workspace.root() + " (reused by the next run)");

        SequenceDataset dataset = DatasetReader.read(settings.data());
        String dataSha256 = DemoWorkspace.sha256(settings.data());
        LocalKafkaBroker broker = stage(1, "Kafka broker", () -> startBroker(settings, workspace));
        long events = dataset.numInteractions();
        stage(2, "import " + settings.data().getFileName() + " into topic " + settings.topic(),
                () -> importData(settings, workspace, broker.bootstrapServers(), dataSha256, events));
        stage(3, "ingest into the RocksDB store", () -> ingest(settings, workspace, broker.bootstrapServers(), events));
        stage(4, "train a model (bounded time)", () -> train(settings, workspace, dataSha256));
        stage(5, "evaluate next to the popularity baseline", () -> evaluate(dataset, workspace));
        stage(6, "serve", () -> serve(settings, workspace, broker.bootstrapServers()));
        out.println("seqrec demo is running; Ctrl-C stops the service and the broker.");
        stopped.await();
        return 0;
    }

    private LocalKafkaBroker startBroker(DemoSettings settings, DemoWorkspace workspace) {
        LocalKafkaBroker broker = whileRunning(LocalKafkaBroker.start(
                new BrokerConfig(settings.brokerPort(), workspace.brokerDir(), settings.partitions())));
        out.println("  broker at " + broker.bootstrapServers() + ", data in " + workspace.brokerDir());
        return broker;
    }

    Void importData(DemoSettings settings, DemoWorkspace workspace, String bootstrap, String dataSha256,
                            long events) throws IOException, InterruptedException {
        Optional<DemoWorkspace.ImportRecord> previous = workspace.importRecord();
        if (previous.isPresent() && previous.get().equals(new DemoWorkspace.ImportRecord(dataSha256, settings.topic(), events))
                && topicEvents(bootstrap, settings.topic()) >= events) {
            out.println("  reused: the topic already holds the " + events + " events of this file");
            return null;
        }
        if (topicEvents(bootstrap, settings.topic()) > 0) {
            // An interrupted import, or another file: importing on top would repeat or mix events
            out.println("  the topic holds events of an unfinished import or of another file: starting it afresh, "
                    + "with a new store");
            KafkaTopics.delete(bootstrap, settings.topic());
        }
        workspace.forgetImportedData();
        DatasetImporter.ImportResult imported = DatasetImporter.importFile(settings.data(), ReadOptions.DEFAULTS,
                ImportConfig.of(bootstrap, settings.topic()).withPartitions(settings.partitions()), ProgressBar.Mode.detect());
        if (imported.events() != events) {
            throw new IllegalStateException("imported " + imported.events() + " events, but the file holds " + events);
        }
        workspace.writeImportRecord(new DemoWorkspace.ImportRecord(dataSha256, settings.topic(), events));
        return null;
    }

    /** Events in {@code topic} (the sum of its partitions' end offsets); 0 if it does not exist. */
    static long topicEvents(String bootstrap, String topic) throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            if (!admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).contains(topic)) {
                return 0;
            }
            int count = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < count; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).values().stream()
                    .mapToLong(info -> info.offset()).sum();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the offsets of topic " + topic + " at " + bootstrap + ": " + e.getMessage(), e);
        }
    }

    private Void ingest(DemoSettings settings, DemoWorkspace workspace, String bootstrap, long events)
            throws Exception {
        RocksSequenceStore store = whileRunning(RocksSequenceStore.open(workspace.storeDir(), StoreConfig.defaults()));
        InteractionIngestor ingestor = whileRunning(new InteractionIngestor(IngestConfig.of(bootstrap, settings.topic()), store));
        long before = store.counts().events();
        if (before >= events) {
            // Whatever arrived since is picked up by the service's own consumer in the last stage.
            release(ingestor);
            release(store);
            out.printf(Locale.ROOT, "  reused: the store already holds the %,d imported events%n", events);
            return null;
        }
        try (ProgressBar progress = ProgressBar.start("ingest", events)) {
            progress.advance(before);
            ingestor.start();
            long shown = 0;
            long lastProgressNanos = System.nanoTime();
            while (true) {
                IngestMetrics metrics = ingestor.metrics();
                if (ingestor.failure() != null) {
                    throw new IllegalStateException("ingestion failed: " + ingestor.failure().getMessage(), ingestor.failure());
                }
                if (metrics.events() > shown) {
                    progress.advance(metrics.events() - shown);
                    shown = metrics.events();
                    lastProgressNanos = System.nanoTime();
                }
                if (metrics.assignedPartitions() > 0 && metrics.lag() == 0) {
                    break;
                }
                if (System.nanoTime() - lastProgressNanos > INGEST_STALL_LIMIT.toNanos()) {
                    throw new IllegalStateException("ingestion made no progress for " + INGEST_STALL_LIMIT.toSeconds()
                            + " s (lag " + metrics.lag() + ")");
                }
                Thread.sleep(INGEST_POLL.toMillis());
            }
            progress.close();
            StoreCounts counts = store.counts();
            out.printf(Locale.ROOT, "  store %s: %,d users, %,d items, %,d events%n", workspace.storeDir(),
                    counts.users(), counts.items(), counts.events());
        } finally {
            // The service opens the store itself in the last stage.
            release(ingestor);
            release(store);
        }
        return null;
    }

    /** Registers {@code resource} to be closed by Ctrl-C, unless {@link #release} closes it first. */
    private <T extends AutoCloseable> T whileRunning(T resource) {
        running.push(resource);
        return resource;
    }

    private void release(AutoCloseable resource) throws Exception {
        if (running.remove(resource)) {
            resource.close();
        }
    }

    /**
     * Trains SASRec into the work directory, unless a model trained on this very file is already there: one whole
     * epoch, then more epochs while the time bound lasts. The first epoch always runs to its end, because the trainer
     * discards an epoch its time limit interrupts and the demo needs a model. SASRec, not MCLRec: it reaches useful
     * accuracy in the fewest epochs, which is what a bounded demo can afford.
     */
    Void train(DemoSettings settings, DemoWorkspace workspace, String dataSha256) throws IOException {
        Optional<Checkpoint> previous = loadIfPresent(workspace.checkpointDir());
        if (previous.isPresent() && dataSha256.equals(previous.get().provenance().dataSha256())) {
            out.println("  reused: " + previous.get().kind().label() + " trained on this file for "
                    + Plural.count(previous.get().provenance().epoch(), "epoch") + ", in " + workspace.checkpointDir());
            return null;
        }
        workspace.forgetModel(); // trained on another file, or never finished: the trainer starts afresh only there
        out.printf(Locale.ROOT, "  training SASRec on %d cores: one epoch, then more while %s last (--train-time). A "
                        + "quick model for the demo,%n  not a full-quality one: that is one `bin/seqrec train --data %s "
                        + "--model mclrec --out DIR` away%n",
                Runtime.getRuntime().availableProcessors(), describe(settings.trainTime()), settings.data());
        long start = System.nanoTime();
        TrainingOptions options = TrainingOptions.defaults(ModelKind.SASREC, DEMO_PRESET);
        Trainer.Report report = new Trainer(options.toBuilder().epochs(1).timeLimit(null).build(), settings.data(),
                workspace.checkpointDir(), false, out, true).run();
        Duration left = settings.trainTime().minusNanos(System.nanoTime() - start);
        String stopReason;
        if (settings.maxEpochs() == 1) {
            stopReason = report.stopReason(); // "epoch limit 1", as --max-epochs says
        } else if (left.toSeconds() > 0) {
            report = new Trainer(options.toBuilder().epochs(settings.maxEpochs()).timeLimit(left).build(), settings.data(),
                    workspace.checkpointDir(), true, out, true).run();
            // the trainer's reason for a time limit advises --resume, which the demo does not take
            stopReason = report.test() == null ? "--train-time " + describe(settings.trainTime()) + " spent"
                    : report.stopReason();
        } else {
            // the first run's epoch limit is its one epoch, not --max-epochs: the time is what ended training
            stopReason = "--train-time " + describe(settings.trainTime()) + " spent by the first epoch, which the demo "
                    + "always completes";
        }
        out.printf(Locale.ROOT, "  %s in %s, best epoch %d with valid %s %.4f; stopped: %s%n",
                Plural.count(report.epochs(), "epoch"), describe(Duration.ofNanos(System.nanoTime() - start)),
                report.bestEpoch(), Trainer.label(report.validMetric()), report.bestValidScore(), stopReason);
        if (report.test() != null) {
            recordTestMetrics(Checkpoint.resolve(workspace.checkpointDir()), report.test().metrics(), Map.of());
        }
        return null;
    }

    private static Optional<Checkpoint> loadIfPresent(Path dir) {
        try {
            return Optional.of(Checkpoint.load(dir));
        } catch (CheckpointException missingOrUnusable) {
            return Optional.empty();
        }
    }

    private static String describe(Duration duration) {
        if (duration.toSeconds() == 0) {
            return duration.toMillis() + " ms";
        }
        return duration.toSeconds() % SECONDS_PER_MINUTE == 0
                ? duration.toMinutes() + " min" : duration.toSeconds() + " s";
    }

    /**
     * Evaluates the model and the popularity baseline on the test split and records both in the checkpoint's
     * provenance, where the model card reads them ({@code test_hr@10} and {@code pop_test_hr@10}); a checkpoint
     * that already has them is not evaluated again.
     */
    private Void evaluate(SequenceDataset dataset, DemoWorkspace workspace) throws IOException {
        Path checkpointDir = Checkpoint.resolve(workspace.checkpointDir());
        Checkpoint checkpoint = Checkpoint.load(checkpointDir);
        Map<String, Double> recorded = checkpoint.provenance().metrics();
        String model = checkpoint.kind().label();
        Map<String, Double> modelMetrics = withPrefix(recorded, TEST_PREFIX);
        Map<String, Double> popMetrics = withPrefix(recorded, CheckpointLoader.BASELINE_PREFIX + TEST_PREFIX);
        if (modelMetrics.isEmpty() || popMetrics.isEmpty()) {
            EvaluationCases cases = new LeaveOneOutSplit().cases(dataset, Split.TEST);
            FullRankingEvaluator evaluator = new FullRankingEvaluator();
            if (modelMetrics.isEmpty()) {
                modelMetrics = evaluator.evaluate(dataset.name(), cases, checkpoint.scorer(model)).metrics();
            }
            if (popMetrics.isEmpty()) {
                popMetrics = evaluator.evaluate(dataset.name(), cases, PopularityScorer.fit(dataset)).metrics();
            }
            recordTestMetrics(checkpointDir, modelMetrics, popMetrics);
        } else {
            out.println("  reused: the checkpoint already records its test metrics");
        }
        TextTable table = new TextTable("metric (test split)", model, PopularityScorer.NAME, model + " / " + PopularityScorer.NAME);
        for (Map.Entry<String, Double> metric : modelMetrics.entrySet()) {
            double baseline = popMetrics.getOrDefault(metric.getKey(), Double.NaN);
            table.addRow(metric.getKey(), metric.getValue(), baseline,
                    String.format(Locale.ROOT, "%.2fx", metric.getValue() / baseline));
        }
        out.println(table.toText());
        return null;
    }

    /** Adds test metrics of the model and of the baseline to the checkpoint's provenance, where the card reads them. */
    private static void recordTestMetrics(Path checkpointDir, Map<String, Double> model, Map<String, Double> baseline)
            throws IOException {
        Checkpoint checkpoint = Checkpoint.load(checkpointDir);
        Provenance trained = checkpoint.provenance();
        Map<String, Double> metrics = new LinkedHashMap<>(trained.metrics());
        model.forEach((name, value) -> metrics.put(TEST_PREFIX + name, value));
        baseline.forEach((name, value) -> metrics.put(CheckpointLoader.BASELINE_PREFIX + TEST_PREFIX + name, value));
        Provenance evaluated = new Provenance(trained.source(), trained.dataFile(), trained.dataSha256(),
                trained.options(), trained.epoch(), metrics, trained.seqrecVersion(), trained.nd4jVersion(),
                trained.created());
        new Checkpoint(checkpoint.kind(), checkpoint.config(), checkpoint.weights(), checkpoint.items(),
                checkpoint.itemCounts(), evaluated, checkpoint.trainingCounters(), checkpoint.trainingState())
                .save(checkpointDir);
    }

    /** The metrics named {@code prefix + name}, by name, in their recorded order. */
    private static Map<String, Double> withPrefix(Map<String, Double> metrics, String prefix) {
        Map<String, Double> selected = new LinkedHashMap<>();
        metrics.forEach((name, value) -> {
            String rest = name.startsWith(prefix) ? name.substring(prefix.length()) : null;
            if (rest != null && !rest.contains("_")) {
                selected.put(rest, value);
            }
        });
        return selected;
    }

    /** Serves the model with the console; ingestion continues inside the service, so new events reach the store. */
    private Void serve(DemoSettings settings, DemoWorkspace workspace, String bootstrap) {
        SeqrecService service = SeqrecService.start(Map.of(
                "micronaut.server.port", settings.httpPort(),
                "seqrec.serve.checkpoint", workspace.checkpointDir().toString(),
                "seqrec.serve.store", workspace.storeDir().toString(),
                "seqrec.serve.bootstrap", bootstrap,
                "seqrec.serve.topic", settings.topic()));
        whileRunning(service);
        out.println("  console:  http://localhost:" + service.port() + "/");
        out.println("  API:      http://localhost:" + service.port() + "/v1/users/{id}/recommendations (see README)");
        out.println("  events:   topic " + settings.topic() + " at " + bootstrap + ", or POST /v1/events");
        return null;
    }

    /** A stage with a numbered header and its time; a failing stage stops the demo with its reason. */
    private <T> T stage(int number, String name, Callable<T> work) throws Exception {
        out.printf(Locale.ROOT, "[%d/%d] %s%n", number, STAGES, name);
        long start = System.nanoTime();
        T result = work.call();
        out.printf(Locale.ROOT, "  done in %.1f s%n", (System.nanoTime() - start) / 1e9);
        return result;
    }

    private void stopEverything() {
        for (AutoCloseable resource = running.pollFirst(); resource != null; resource = running.pollFirst()) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("seqrec demo: while stopping: " + e.getMessage());
            }
        }
        stopped.countDown();
    }
}
