package dev.seqrec.recommender.bench;

import dev.seqrec.recommender.service.SeqrecService;
import dev.seqrec.report.AtomicFile;
import dev.seqrec.report.CsvSeries;
import dev.seqrec.report.DirectoryTree;
import dev.seqrec.report.LineChart;
import dev.seqrec.report.ProgressBar;
import dev.seqrec.report.TextTable;
import dev.seqrec.streaming.Interaction;
import dev.seqrec.streaming.RocksSequenceStore;
import dev.seqrec.streaming.StoreConfig;
import dev.seqrec.trainer.checkpoint.ReferenceImport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code seqrec bench serve}: throughput and latency of {@code GET /v1/users/{id}/recommendations} on a Beauty-sized
 * model, and in the same run of a trivial endpoint of the same server ({@code GET /v1/model}: a small JSON answer, no
 * model work), so their ratio shows what the model costs on this machine. The service runs in this JVM on loopback
 * with a real RocksDB store holding every Beauty user's sequence.
 */
public final class ServeBenchmark {
    private static final String TRIVIAL_PATH = "/v1/model";
    private static final String RECOMMENDATIONS = "recommendations";
    private static final String TRIVIAL = "trivial";
    private static final int COMPARISON_ROUNDS = 2;
    private static final int REFERENCE_HEADS = 2;
    private static final int STORE_BATCH = 10_000;
    private static final int K = 10;
    private static final long PROGRESS_TICK_MILLIS = 100;
    private static final double[] CHART_PERCENTILES = {0.5, 0.75, 0.9, 0.95, 0.99, 0.999};

    private final ServeBenchmarkConfig config;
    private final PrintStream out;

    public ServeBenchmark(ServeBenchmarkConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /** One measured endpoint. */
    public record Measurement(String name, String path, HttpLoadGenerator.Result result) {
    }

    public List<Measurement> run() throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("seqrec-bench-serve");
        try {
            Map<String, List<String>> sequences = readSequences(config.data());
            Path checkpoint = config.checkpoint() != null ? config.checkpoint()
                    : referenceCheckpoint(work.resolve("checkpoint"));
            Path store = fillStore(sequences, work.resolve("store"));
            List<String> userPaths = sequences.keySet().stream()
                    .map(user -> "/v1/users/" + user + "/recommendations?k=" + K).toList();
            List<Measurement> measurements = new ArrayList<>();
            // Compared modes alternate over rounds: whichever runs first pays for the JIT on a loaded machine.
            int rounds = config.compareBatching() ? COMPARISON_ROUNDS : 1;
            for (int round = 1; round <= rounds; round++) {
                String suffix = rounds > 1 ? " #" + round : "";
                try (SeqrecService service = start(checkpoint, store, true)) {
                    measurements.add(measure(RECOMMENDATIONS + suffix, service.port(), userPaths));
                    measurements.add(measure(TRIVIAL + suffix, service.port(), List.of(TRIVIAL_PATH)));
                }
                if (config.compareBatching()) {
                    try (SeqrecService service = start(checkpoint, store, false)) {
                        measurements.add(measure(RECOMMENDATIONS + ", no micro-batching" + suffix, service.port(),
                                userPaths));
                    }
                }
            }
            report(measurements, sequences.size());
            return measurements;
        } finally {
            DirectoryTree.delete(work);
        }
    }

    private SeqrecService start(Path checkpoint, Path store, boolean microBatching) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.port", -1);
        properties.put("micronaut.server.host", "127.0.0.1");
        properties.put("seqrec.serve.checkpoint", checkpoint.toString());
        properties.put("seqrec.serve.store", store.toString());
        properties.put("seqrec.serve.micro-batching", microBatching);
        return SeqrecService.start(properties);
    }

    private Measurement measure(String name, int port, List<String> paths) throws InterruptedException {
        HttpLoadGenerator load = new HttpLoadGenerator(port, config.connections());
        if (!config.warmup().isZero()) {
            runWithProgress(name + " (warm-up)", load, paths, config.warmup().toMillis() / 1e3);
        }
        return new Measurement(name, paths.size() == 1 ? paths.get(0) : "/v1/users/{id}/recommendations?k=" + K,
                runWithProgress(name, load, paths, config.duration().toMillis() / 1e3));
    }

    /** Runs the load on a thread of its own while this one draws a bar over the elapsed time. */
    private HttpLoadGenerator.Result runWithProgress(String task, HttpLoadGenerator load, List<String> paths,
                                                     double seconds) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        HttpLoadGenerator.Result[] result = new HttpLoadGenerator.Result[1];
        RuntimeException[] failure = new RuntimeException[1];
        Thread runner = new Thread(() -> {
            try {
                result[0] = load.run(paths, seconds, config.seed(), done::addAndGet);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        }, "bench-load");
        long ticks = Math.round(seconds * 1000 / PROGRESS_TICK_MILLIS);
        try (ProgressBar bar = ProgressBar.start(task, ticks)) {
            long start = System.nanoTime();
            runner.start();
            while (runner.isAlive()) {
                runner.join(PROGRESS_TICK_MILLIS);
                long elapsedTicks = Math.min(ticks, (System.nanoTime() - start) / (PROGRESS_TICK_MILLIS * 1_000_000));
                bar.advance(elapsedTicks - bar.done());
                double elapsed = (System.nanoTime() - start) / 1e9;
                bar.field("req/s", String.format(Locale.ROOT, "%.0f", done.get() / Math.max(elapsed, 1e-9)));
            }
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return result[0];
    }

    private void report(List<Measurement> measurements, int users) throws IOException {
        TextTable table = new TextTable(List.of("endpoint", "path", "requests", "errors", "req/s", "p50 ms", "p90 ms",
                "p99 ms", "max ms"), 2);
        for (Measurement m : measurements) {
            HttpLoadGenerator.Result r = m.result();
            table.addRow(m.name(), m.path(), r.requests(), r.errors(), r.perSecond(), r.percentileMillis(0.5),
                    r.percentileMillis(0.9), r.percentileMillis(0.99), r.percentileMillis(1.0));
        }
        // The ratio compares the last round's default-mode recommendations with the trivial endpoint measured
        // right after them on the same server.
        int lastTrivial = measurements.size() - 1;
        while (!measurements.get(lastTrivial).name().startsWith(TRIVIAL)) {
            lastTrivial--;
        }
        HttpLoadGenerator.Result recs = measurements.get(lastTrivial - 1).result();
        HttpLoadGenerator.Result trivial = measurements.get(lastTrivial).result();
        out.println();
        out.println("seqrec bench serve: closed-loop HTTP/1.1 keep-alive load from this JVM on 127.0.0.1, "
                + config.connections() + " connections, " + config.warmup().toSeconds() + " s warm-up + "
                + config.duration().toSeconds() + " s measured per endpoint; users drawn uniformly from " + users
                + " Beauty users whose sequences are in a RocksDB store; k=" + K + "; "
                + Runtime.getRuntime().availableProcessors() + " cores shared by server and load generator.");
        out.print(table.toText());
        out.printf(Locale.ROOT, "recommendations / trivial: throughput %.3f, p50 latency %.2fx, p99 latency %.2fx%n",
                recs.perSecond() / trivial.perSecond(), recs.percentileMillis(0.5) / trivial.percentileMillis(0.5),
                recs.percentileMillis(0.99) / trivial.percentileMillis(0.99));
        Files.createDirectories(config.output());
        Path csv = config.output().resolve("bench-serve.csv");
        // the whole table at once, atomically: an interrupted run leaves the previous report as it was
        AtomicFile.write(csv, temp -> {
            try (CsvSeries series = CsvSeries.create(temp, "endpoint", "requests", "errors", "req_per_s", "p50_ms",
                    "p90_ms", "p99_ms", "max_ms")) {
                for (Measurement m : measurements) {
                    HttpLoadGenerator.Result r = m.result();
                    series.append(m.name(), r.requests(), r.errors(), r.perSecond(), r.percentileMillis(0.5),
                            r.percentileMillis(0.9), r.percentileMillis(0.99), r.percentileMillis(1.0));
                }
            }
        });
        LineChart chart = new LineChart("seqrec serve: latency by percentile (" + config.connections()
                + " connections)", "percentile", "latency (ms)");
        double[] x = new double[CHART_PERCENTILES.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = CHART_PERCENTILES[i] * 100;
        }
        for (Measurement m : measurements) {
            double[] y = new double[CHART_PERCENTILES.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = m.result().percentileMillis(CHART_PERCENTILES[i]);
            }
            chart.addSeries(String.format(Locale.ROOT, "%s (%.0f req/s)", m.name(), m.result().perSecond()), x, y);
        }
        Path png = config.output().resolve("bench-serve.png");
        chart.writePng(png, 900, 500);
        out.println("wrote " + csv + " and " + png);
    }

    /** user -> items, oldest first, in file order. */
    private static Map<String, List<String>> readSequences(Path data) throws IOException {
        if (!Files.isRegularFile(data)) {
            throw new IOException("no sequence file at " + data + " (--data)");
        }
        Map<String, List<String>> sequences = new LinkedHashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(data, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                String[] tokens = line.trim().split(" ");
                if (tokens.length < 2) {
                    throw new IOException(data + ":" + lineNumber + ": expected a user id and at least one item");
                }
                sequences.put(tokens[0], List.of(tokens).subList(1, tokens.length));
            }
        }
        return sequences;
    }

    /** The reference encoder as a seqrec checkpoint, through the trainer's importer. */
    private Path referenceCheckpoint(Path dir) throws IOException {
        ReferenceImport.toCheckpoint(config.reference(), config.data(), REFERENCE_HEADS).save(dir);
        return dir;
    }

    private static Path fillStore(Map<String, List<String>> sequences, Path dir) {
        try (RocksSequenceStore store = RocksSequenceStore.open(dir, StoreConfig.defaults());
             ProgressBar bar = ProgressBar.start("filling the sequence store", sequences.size())) {
            List<Interaction> batch = new ArrayList<>(STORE_BATCH);
            for (Map.Entry<String, List<String>> user : sequences.entrySet()) {
                for (String item : user.getValue()) {
                    batch.add(Interaction.of(user.getKey(), item));
                }
                if (batch.size() >= STORE_BATCH) {
                    store.append(batch);
                    batch.clear();
                }
                bar.step();
            }
            if (!batch.isEmpty()) {
                store.append(batch);
            }
        }
        return dir;
    }

}
