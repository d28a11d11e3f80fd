package dev.seqrec.cli;

import dev.seqrec.report.LineChart;
import dev.seqrec.report.TextTable;
import dev.seqrec.streaming.IngestConfig;
import dev.seqrec.streaming.IngestWriterBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code seqrec bench ingest-writers}: the ingest writers' work alone, CPU per part, without Kafka. */
@Command(name = "ingest-writers",
        mixinStandardHelpOptions = true,
        description = "Makes the events of 'bench ingest' once in memory, spread over partitions by key as Kafka "
                + "would, then in each pass decodes, appends and flushes them into a fresh store with one thread per "
                + "partition, as the ingest writers do, and prints each part's thread CPU per event. Steadier than "
                + "'bench ingest' (no broker, no consumer), for comparing changes to the writers; writes a chart.")
public final class BenchIngestWritersCommand implements Callable<Integer> {
    private static final int CHART_WIDTH = 900;
    private static final int CHART_HEIGHT = 500;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    GeneratedEventsOptions generated;

    @Option(names = "--batch-events", paramLabel = "N", description = "Events a writer takes at a time, as a "
            + "partition's share of a poll. Default: the ingest's records per poll, ${DEFAULT-VALUE}.",
            defaultValue = "" + IngestConfig.DEFAULT_MAX_POLL_RECORDS)
    int batchEvents;

    @Option(names = "--passes", paramLabel = "N", defaultValue = "6", description = "Passes, each into a fresh store; the first ones warm the JIT compiler up. Default: ${DEFAULT-VALUE}.")
    int passes;

    @Option(names = "--chart", paramLabel = "FILE", defaultValue = "runs/bench-ingest-writers.png", description = "PNG chart of each part's CPU per event over the passes. Default: ${DEFAULT-VALUE}.")
    Path chart;

    @Override
    public Integer call() throws IOException, InterruptedException {
        IngestWriterBenchmark.Settings settings;
        generated.check(spec);
        // the events are kept in memory, in one array
        OptionChecks.between(spec, "--events", generated.events, 1, Integer.MAX_VALUE);
        OptionChecks.atLeast(spec, "--batch-events", batchEvents, 1);
        OptionChecks.atLeast(spec, "--passes", passes, 1);
        try {
            settings = new IngestWriterBenchmark.Settings(generated.events, generated.users, generated.items,
                    generated.partitions, batchEvents, passes, generated.seed);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path work = Files.createTempDirectory("seqrec-bench-ingest-writers");
        List<IngestWriterBenchmark.Pass> result;
        try {
            result = IngestWriterBenchmark.run(settings, work);
        } finally {
            Files.deleteIfExists(work); // each pass removes its own store
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "seqrec bench ingest-writers: %,d events (%,d users, %,d items, the events of 'bench "
                        + "ingest'), %s by key, one writer thread each, %,d events at a time, a fresh store "
                        + "per pass, %s. Thread CPU per event of the writers, summed over them.%n",
                generated.events, generated.users, generated.items, Plural.count(generated.partitions, "partition"),
                batchEvents, Plural.count(Runtime.getRuntime().availableProcessors(), "CPU core"));
        TextTable table = new TextTable("pass", "seconds", "decode us/event", "append us/event", "flush us/event",
                "writers us/event");
        for (IngestWriterBenchmark.Pass pass : result) {
            table.addRow(pass.pass(), format(pass.seconds()), format(pass.decodeMicrosPerEvent()),
                    format(pass.appendMicrosPerEvent()), format(pass.flushMicrosPerEvent()),
                    format(pass.totalMicrosPerEvent()));
        }
        out.print(table.toText());
        IngestWriterBenchmark.Pass best = result.stream()
                .min(Comparator.comparingDouble(IngestWriterBenchmark.Pass::totalMicrosPerEvent)).orElseThrow();
        out.printf(Locale.ROOT, "least CPU: pass %d, %.3f us per event (decode %.3f, append %.3f, flush %.3f)%n",
                best.pass(), best.totalMicrosPerEvent(), best.decodeMicrosPerEvent(), best.appendMicrosPerEvent(),
                best.flushMicrosPerEvent());
        writeChart(result);
        out.printf("chart: %s%n", chart);
        out.flush();
        return 0;
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private void writeChart(List<IngestWriterBenchmark.Pass> result) throws IOException {
        LineChart lines = new LineChart("Ingest writers' CPU per event (" + String.format(Locale.ROOT, "%,d", generated.events)
                + " events)", "pass", "thread CPU us per event");
        double[] x = result.stream().mapToDouble(IngestWriterBenchmark.Pass::pass).toArray();
        lines.addSeries("decode", x, result.stream().mapToDouble(IngestWriterBenchmark.Pass::decodeMicrosPerEvent).toArray());
        lines.addSeries("append", x, result.stream().mapToDouble(IngestWriterBenchmark.Pass::appendMicrosPerEvent).toArray());
        lines.addSeries("flush", x, result.stream().mapToDouble(IngestWriterBenchmark.Pass::flushMicrosPerEvent).toArray());
        lines.addSeries("writers", x, result.stream().mapToDouble(IngestWriterBenchmark.Pass::totalMicrosPerEvent).toArray());
        Path parent = chart.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        lines.writePng(chart, CHART_WIDTH, CHART_HEIGHT);
    }
}
