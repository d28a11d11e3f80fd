package dev.seqrec.vision.train;

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
import java.util.List;
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
        for (Path run : runs) {
            // Fail on a bad directory before the long probing starts.
            encoders.add(EncoderCheckpoint.load(run));
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
            Path csv = run.resolve(SimClrExperiment.ACCURACY_CSV);
            int epoch = Files.isRegularFile(csv) ? (int) lastRow(readSeries(csv), csv)[0] : -1;
            results.add(new RunResult(run, lossOf(run), epoch, probed, pixels));
        }
        return results;
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
            Files.writeString(markdownFile, caption + "\n\n" + table.toMarkdown() + "\n");
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
            List<double[]> rows = readSeries(result.run().resolve(SimClrExperiment.ACCURACY_CSV));
            double[] epochs = rows.stream().mapToDouble(row -> row[0]).toArray();
            double[] linear = rows.stream().mapToDouble(row -> row[2]).toArray();
            chart.addSeries(result.loss() + " (" + result.run().getFileName() + ")", epochs, linear);
            lastEpoch = Math.max(lastEpoch, epochs[epochs.length - 1]);
        }
        double pixels = results.get(0).pixels().linearAccuracy();
        chart.addSeries("raw pixels", new double[]{0, lastEpoch}, new double[]{pixels, pixels});
        chart.writePng(file, SimClrExperiment.CHART_WIDTH, SimClrExperiment.CHART_HEIGHT);
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
