package dev.seqrec.vision.train;

import dev.seqrec.report.AtomicFile;
import dev.seqrec.report.LineChart;
import dev.seqrec.report.ProgressBar;
import dev.seqrec.report.TextTable;
import dev.seqrec.vision.data.FashionMnist;
import dev.seqrec.vision.model.ConvEncoder;
import dev.seqrec.vision.model.EncoderCheckpoint;
import dev.seqrec.vision.probe.ProbeEvaluation;
import dev.seqrec.vision.probe.ProbeResult;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Compares runs in one table: either re-evaluates each run's saved encoder with the probes next to the raw-pixel
 * probes on the same data, or reads the accuracies each run recorded in its accuracy.csv. Optionally overlays the
 * runs' linear-probe curves.
 */
public final class RunComparison {

    private static final int ENCODE_BATCH = 1000;
    private static final double PERCENT = 100;

    /** One run's accuracies at one epoch, next to the raw-pixel probes on the same data. */
    public record RunResult(Path run, String loss, int epoch, ProbeResult encoder, ProbeResult pixels) {
        public double linearGainPoints() {
            return PERCENT * (encoder.linearAccuracy() - pixels.linearAccuracy());
        }
    }

    private RunComparison() {
    }

    /** Re-evaluates the encoder saved in each run directory, and raw pixels once, on {@code data}. */
    public static List<RunResult> reevaluate(List<Path> runs, FashionMnist.Splits data, ProbeEvaluation probes)
            throws IOException {
        List<ConvEncoder> encoders = new ArrayList<>();
        List<Integer> epochs = new ArrayList<>();
        for (Path run : runs) {
            // Fail on a bad directory, a damaged accuracy.csv or images of another size before the long probing.
            ConvEncoder encoder = EncoderCheckpoint.load(run);
            if (encoder.config().height() != data.test().height() || encoder.config().width() != data.test().width()) {
                throw new IllegalArgumentException(run + " was trained on " + encoder.config().height() + "x"
                        + encoder.config().width() + " images, --data holds " + data.test().height() + "x"
                        + data.test().width());
            }
            encoders.add(encoder);
            epochs.add(recordedEpoch(run));
        }
        ProbeResult pixels = probes.evaluate("raw pixels", ProbeEvaluation.pixels(data.train()), data.train(),
                ProbeEvaluation.pixels(data.test()), data.test());
        List<RunResult> results = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Path run = runs.get(i);
            INDArray train;
            INDArray test;
            try (ProgressBar bar = ProgressBar.start("encoding (" + run + ")",
                    (long) data.train().count() + data.test().count())) {
                train = encoders.get(i).encode(data.train(), ENCODE_BATCH, bar::advance);
                test = encoders.get(i).encode(data.test(), ENCODE_BATCH, bar::advance);
            }
            ProbeResult probed = probes.evaluate(run.toString(), train, data.train(), test, data.test());
            results.add(new RunResult(run, lossOf(run), epochs.get(i), probed, pixels));
        }
        return results;
    }

    /** The last epoch a run's accuracy.csv records, or -1 ("?") when the run holds no csv or one without rows. */
    private static int recordedEpoch(Path run) throws IOException {
        Path csv = run.resolve(SimClrExperiment.ACCURACY_CSV);
        if (!Files.isRegularFile(csv)) {
            return -1;
        }
        List<double[]> rows = readSeries(csv);
        return rows.isEmpty() ? -1 : (int) rows.get(rows.size() - 1)[0];
    }

    /**
     * Fails unless every run has an accuracy series to chart (an accuracy.csv with at least one evaluation): a chart
     * is drawn after all the probing, so this check comes before it.
     */
    public static void requireSeries(List<Path> runs) throws IOException {
        for (Path run : runs) {
            Path csv = run.resolve(SimClrExperiment.ACCURACY_CSV);
            lastRow(readSeries(csv), csv);
        }
    }

    /**
     * The accuracies each run recorded in its accuracy.csv at {@code epoch}, or at its last evaluated epoch when
     * {@code epoch} is null. Nothing is recomputed.
     */
    public static List<RunResult> recorded(List<Path> runs, Integer epoch) throws IOException {
        List<RunResult> results = new ArrayList<>();
        for (Path run : runs) {
            Path csv = run.resolve(SimClrExperiment.ACCURACY_CSV);
            List<double[]> rows = readSeries(csv);
            double[] row = null;
            if (epoch == null) {
                row = lastRow(rows, csv);
            } else {
                for (double[] candidate : rows) {
                    if ((int) candidate[0] == epoch) {
                        row = candidate;
                    }
                }
                if (row == null) {
                    throw new IOException(csv + ": no evaluation at epoch " + epoch);
                }
            }
            results.add(new RunResult(run, lossOf(run), (int) row[0], new ProbeResult(row[2], row[3]),
                    new ProbeResult(row[4], row[5])));
        }
        return results;
    }

    /** Prints the table, and writes it as markdown and the curves as a PNG when the files are given. */
    public static void report(List<RunResult> results, String caption, Path markdownFile, Path chartFile,
                              PrintStream out) throws IOException {
        TextTable table = table(results);
        out.println(table.toText());
        if (markdownFile != null) {
            // as the chart: parent folders created, the file complete or not at all
            AtomicFile.writeString(markdownFile, caption + "\n\n" + table.toMarkdown() + "\n");
        }
        if (chartFile != null) {
            writeChart(results, chartFile);
        }
    }

    static TextTable table(List<RunResult> results) {
        TextTable table = new TextTable("run", "loss", "epoch", "linear probe", "k-NN", "pixels linear probe",
                "pixels k-NN", "linear gain (points)");
        for (RunResult r : results) {
            table.addRow(r.run().toString(), r.loss(), r.epoch() < 0 ? "?" : r.epoch(), r.encoder().linearAccuracy(),
                    r.encoder().knnAccuracy(), r.pixels().linearAccuracy(), r.pixels().knnAccuracy(),
                    r.linearGainPoints());
        }
        return table;
    }

    private static void writeChart(List<RunResult> results, Path file) throws IOException {
        LineChart chart = new LineChart("Linear-probe test accuracy against epochs", "epoch", "accuracy");
        double lastEpoch = 0;
        for (RunResult result : results) {
            Path csv = result.run().resolve(SimClrExperiment.ACCURACY_CSV);
            List<double[]> rows = readSeries(csv);
            lastEpoch = Math.max(lastEpoch, lastRow(rows, csv)[0]);
            double[] epochs = rows.stream().mapToDouble(row -> row[0]).toArray();
            double[] linear = rows.stream().mapToDouble(row -> row[2]).toArray();
            chart.addSeries(result.loss() + " (" + result.run().getFileName() + ")", epochs, linear);
        }
        for (PixelLine line : pixelLines(results)) {
            chart.addSeries(line.label(), new double[]{0, lastEpoch}, new double[]{line.accuracy(), line.accuracy()});
        }
        chart.writePng(file, SimClrExperiment.CHART_WIDTH, SimClrExperiment.CHART_HEIGHT);
    }

    /** A raw-pixel reference line of the chart: its linear-probe accuracy and the label it is drawn with. */
    record PixelLine(String label, double accuracy) {
    }

    /**
     * One reference line per distinct raw-pixel accuracy among the runs: runs recorded on different data (other
     * --train-limit / --test-limit) each keep their own baseline, named after the runs it belongs to.
     */
    static List<PixelLine> pixelLines(List<RunResult> results) {
        Map<Double, List<String>> runsByAccuracy = new LinkedHashMap<>();
        for (RunResult result : results) {
            runsByAccuracy.computeIfAbsent(result.pixels().linearAccuracy(), accuracy -> new ArrayList<>())
                    .add(String.valueOf(result.run().getFileName()));
        }
        List<PixelLine> lines = new ArrayList<>();
        runsByAccuracy.forEach((accuracy, names) -> lines.add(new PixelLine(runsByAccuracy.size() == 1
                ? "raw pixels" : "raw pixels (" + String.join(", ", names) + ")", accuracy)));
        return lines;
    }

    /** The rows of a run's accuracy.csv, as numbers in {@link SimClrExperiment#CSV_COLUMNS} order. */
    static List<double[]> readSeries(Path csv) throws IOException {
        if (!Files.isRegularFile(csv)) {
            throw new NoSuchFileException(csv.toString(), null, "no accuracy series (not a finished run directory?)");
        }
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty() || !List.of(lines.get(0).split(",")).equals(SimClrExperiment.CSV_COLUMNS)) {
            throw new IOException(csv + ": expected the header " + String.join(",", SimClrExperiment.CSV_COLUMNS));
        }
        List<double[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            if (cells.length != SimClrExperiment.CSV_COLUMNS.size()) {
                throw new IOException(csv + ": line " + (i + 1) + " has " + cells.length + " values");
            }
            double[] row = new double[cells.length];
            for (int c = 0; c < cells.length; c++) {
                try {
                    row[c] = Double.parseDouble(cells[c]);
                } catch (NumberFormatException e) {
                    throw new IOException(csv + ": line " + (i + 1) + ": '" + cells[c] + "' is not a number", e);
                }
            }
            rows.add(row);
        }
        return rows;
    }

    private static double[] lastRow(List<double[]> rows, Path csv) throws IOException {
        if (rows.isEmpty()) {
            throw new IOException(csv + ": no evaluations recorded yet");
        }
        return rows.get(rows.size() - 1);
    }

    private static String lossOf(Path run) throws IOException {
        Path file = run.resolve(SimClrExperiment.RUN_PROPERTIES);
        if (!Files.isRegularFile(file)) {
            return "?";
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties.getProperty("loss", "?");
    }
}
