package dev.seqrec.cli;

import dev.seqrec.report.LineChart;
import dev.seqrec.report.TextTable;
import dev.seqrec.streaming.IngestBenchmark;
import dev.seqrec.streaming.IngestConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code seqrec bench ingest}: raw consumer vs full ingest path, in one run on one broker. */
@Command(name = "ingest",
        mixinStandardHelpOptions = true,
        description = "Produces synthetic interaction events once, then measures on the same broker and topic, in "
                + "alternating rounds, a bare Kafka consumer (poll, touch each value) and the full ingest path "
                + "(decode, id mapping, appends coalesced per user and written to RocksDB with the offsets in the same "
                + "batch). Prints both best rates and their ratio, each round's own ratio and their median; writes a "
                + "chart of events over time.")
public final class BenchIngestCommand implements Callable<Integer> {
    static final double TARGET_EVENTS_PER_SECOND = 100_000;
    static final double TARGET_RATIO = 0.5;
    private static final int CHART_WIDTH = 900;
    private static final int CHART_HEIGHT = 500;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    GeneratedEventsOptions generated;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Use this broker; default: start one in this process on a free loopback port.")
    String bootstrap;

    @Option(names = "--warmup-rounds", paramLabel = "N", defaultValue = "5", description = "Unreported raw-then-ingest rounds first, so that both paths run compiled code: what runs a few times per pass gets hot only over several passes (0 = none). Default: ${DEFAULT-VALUE}.")
    int warmupRounds;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3", description = "Raw-then-ingest rounds; the best pass of each path is compared. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300", description = "Limit for one pass. Default: ${DEFAULT-VALUE}.")
    long timeoutSeconds;

    @Option(names = "--flush-interval", paramLabel = "MILLIS", description = "How long ingest writers may coalesce "
            + "appends while there is a backlog. Default: the ingest default, ${DEFAULT-VALUE}.",
            defaultValue = "" + IngestConfig.DEFAULT_FLUSH_INTERVAL_MILLIS)
    long flushIntervalMillis;

    @Option(names = "--chart", paramLabel = "FILE", defaultValue = "runs/bench-ingest.png", description = "PNG chart of events read over time per pass. Default: ${DEFAULT-VALUE}.")
    Path chart;

    @Override
    public Integer call() throws IOException, InterruptedException {
        IngestBenchmark.Settings settings;
        generated.check(spec);
        if (bootstrap != null) {
            OptionChecks.kafkaBootstrap(spec, "--bootstrap", bootstrap);
        }
        OptionChecks.atLeast(spec, "--warmup-rounds", warmupRounds, 0);
        OptionChecks.atLeast(spec, "--rounds", rounds, 1);
        OptionChecks.atLeast(spec, "--timeout", timeoutSeconds, 1);
        OptionChecks.atLeast(spec, "--flush-interval", flushIntervalMillis, 0);
        try {
            settings = new IngestBenchmark.Settings(bootstrap, generated.events, generated.users, generated.items,
                    generated.partitions, warmupRounds, rounds, Duration.ofSeconds(timeoutSeconds), generated.seed,
                    Duration.ofMillis(flushIntervalMillis));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        IngestCommand.useOneLineLogs();
        Path work = Files.createTempDirectory("seqrec-bench-ingest");
        IngestBenchmark.Result result = IngestBenchmark.run(settings, work);

        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "seqrec bench ingest: %,d events (%,d users, %,d items, JSON values keyed by user), "
                        + "%s, %s, %s%n", generated.events, generated.users, generated.items,
                Plural.count(generated.partitions, "partition"), result.broker(),
                Plural.count(Runtime.getRuntime().availableProcessors(), "CPU core"));
        out.printf(Locale.ROOT, "produced once at %,.0f events/s; every pass reads all of them from the beginning, "
                + "after %s. Clock: from the moment the pass's consumer receives its first "
                + "records to its last event counted (raw) or stored (ingest). Ingest flush interval %,d ms.%n",
                result.produceEventsPerSecond(), Plural.count(warmupRounds, "unreported warm-up round"),
                flushIntervalMillis);
        TextTable table = new TextTable("round", "path", "events", "seconds", "events/s", "process CPU s", "CPU us/event",
                "polling thread us/event", "writers us/event", "JIT compiler CPU s");
        for (IngestBenchmark.Pass pass : result.passes()) {
            table.addRow(pass.round(), pass.path(), pass.events(), String.format(Locale.ROOT, "%.2f", pass.seconds()),
                    String.format(Locale.ROOT, "%,.0f", pass.eventsPerSecond()),
                    String.format(Locale.ROOT, "%.2f", pass.cpuSeconds()),
                    String.format(Locale.ROOT, "%.2f", pass.cpuMicrosPerEvent()),
                    String.format(Locale.ROOT, "%.2f", pass.consumerCpuMicrosPerEvent()),
                    String.format(Locale.ROOT, "%.2f", pass.writerCpuMicrosPerEvent()),
                    String.format(Locale.ROOT, "%.2f", pass.jitCpuSeconds()));
        }
        out.print(table.toText());
        double raw = result.best(IngestBenchmark.RAW);
        double ingest = result.best(IngestBenchmark.INGEST);
        double ratio = ingest / raw;
        out.printf(Locale.ROOT, "best raw consumer: %,.0f events/s%n", raw);
        out.printf(Locale.ROOT, "best ingest path:  %,.0f events/s%n", ingest);
        out.printf(Locale.ROOT, "ratio ingest/raw:  %.2f%n", ratio);
        out.printf(Locale.ROOT, "ratio within each round (ingest pass / the raw pass before it): %s; median %.2f%n",
                Arrays.stream(result.roundRatios()).mapToObj(r -> String.format(Locale.ROOT, "%.2f", r))
                        .collect(Collectors.joining(" ")), result.medianRoundRatio());
        out.printf(Locale.ROOT, "CPU per event (process, broker included; less disturbed by other jobs): raw %.2f us, ingest %.2f us "
                        + "(thread CPU from the JVM; the rest of the process CPU is the broker, JIT compiler and GC; "
                        + "JIT compiler CPU s: the compiler threads' CPU during the pass, taken from the same cores)%n",
                result.bestCpu(IngestBenchmark.RAW), result.bestCpu(IngestBenchmark.INGEST));
        out.printf(Locale.ROOT, "targets: ingest >= %,.0f events/s: %s; ratio >= %.2f: %s%n", TARGET_EVENTS_PER_SECOND,
                ingest >= TARGET_EVENTS_PER_SECOND ? "met" : "NOT met", TARGET_RATIO, ratio >= TARGET_RATIO ? "met" : "NOT met");
        writeChart(result);
        out.printf("chart: %s%n", chart);
        out.flush();
        return 0;
    }

    private void writeChart(IngestBenchmark.Result result) throws IOException {
        LineChart lines = new LineChart("Events read over time ("
                + String.format(Locale.ROOT, "%,d", generated.events) + " events)",
                "seconds since the pass's first records", "events");
        for (IngestBenchmark.Pass pass : result.passes()) {
            double[] x = pass.samples().stream().mapToDouble(s -> s[0]).toArray();
            double[] y = pass.samples().stream().mapToDouble(s -> s[1]).toArray();
            lines.addSeries(pass.path() + " #" + pass.round(), x, y);
        }
        Path parent = chart.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        lines.writePng(chart, CHART_WIDTH, CHART_HEIGHT);
    }
}
