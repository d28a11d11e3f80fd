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
 * Compares finished runs: re-evaluates each run's saved encoder with the probes, next to the raw-pixel probes on
 * the same data, as one table; optionally overlays the runs' linear-probe curves from their accuracy.csv.
 */
public final class RunComparison {

    private static final int ENCODE_BATCH = 1000;
    private static final double PERCENT = 100;

    private final ProbeEvaluation probes;

    public RunComparison(ProbeEvaluation probes) {
        this.probes = probes;
    }

    /** One run's re-evaluated accuracies. */
    public record RunResult(Path run, String loss, String epochs, ProbeResult encoder) {
    }

    public List<RunResult> compare(List<Path> runs, FashionMnist.Splits data, Path markdownFile, Path chartFile,
                                   PrintStream out) throws IOException {
        List<ConvEncoder> encoders = new ArrayList<>();
        List<Properties> descriptions = new ArrayList<>();
        for (Path run : runs) {
            // Fail on a bad directory before hours of probing.
            encoders.add(EncoderCheckpoint.load(run));
            descriptions.add(runProperties(run));
        }
        ProbeResult pixels = probes.evaluate("raw pixels", ProbeEvaluation.pixels(data.train()), data.train(),
                ProbeEvaluation.pixels(data.test()), data.test());
        List<RunResult> results = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            ConvEncoder encoder = encoders.get(i);
            INDArray train;
            INDArray test;
            try (ProgressBar bar = ProgressBar.start("encoding (" + runs.get(i) + ")",
                    (long) data.train().count() + data.test().count())) {
                train = encoder.encode(data.train(), ENCODE_BATCH, bar::advance);
                test = encoder.encode(data.test(), ENCODE_BATCH, bar::advance);
            }
            ProbeResult probed = probes.evaluate(runs.get(i).toString(), train, data.train(), test, data.test());
            results.add(new RunResult(runs.get(i), descriptions.get(i).getProperty("loss", "?"),
                    descriptions.get(i).getProperty("epochs", "?"), probed));
        }
        TextTable table = table(pixels, results);
        out.println(table.toText());
        if (markdownFile != null) {
            Files.writeString(markdownFile, "Fashion-MNIST test accuracy of frozen features ("
                    + data.train().count() + " train / " + data.test().count() + " test images, "
                    + probes.config() + ")\n\n" + table.toMarkdown() + "\n");
        }
        if (chartFile != null) {
            writeChart(runs, descriptions, pixels, chartFile);
        }
        return results;
    }

    static TextTable table(ProbeResult pixels, List<RunResult> results) {
        TextTable table = new TextTable("features", "loss", "epochs", "linear probe", "k-NN",
                "linear vs pixels (points)");
        table.addRow("raw pixels", "-", "-", pixels.linearAccuracy(), pixels.knnAccuracy(), "-");
        for (RunResult result : results) {
            table.addRow(result.run().toString(), result.loss(), result.epochs(), result.encoder().linearAccuracy(),
                    result.encoder().knnAccuracy(),
                    PERCENT * (result.encoder().linearAccuracy() - pixels.linearAccuracy()));
        }
        return table;
    }

    private static void writeChart(List<Path> runs, List<Properties> descriptions, ProbeResult pixels, Path file)
            throws IOException {
        LineChart chart = new LineChart("Linear-probe test accuracy against epochs", "epoch", "accuracy");
        double lastEpoch = 0;
        for (int i = 0; i < runs.size(); i++) {
            double[][] curve = linearProbeCurve(runs.get(i).resolve(SimClrExperiment.ACCURACY_CSV));
            chart.addSeries(descriptions.get(i).getProperty("loss", runs.get(i).toString()), curve[0], curve[1]);
            lastEpoch = Math.max(lastEpoch, curve[0][curve[0].length - 1]);
        }
        chart.addSeries("raw pixels", new double[]{0, lastEpoch},
                new double[]{pixels.linearAccuracy(), pixels.linearAccuracy()});
        chart.writePng(file, SimClrExperiment.CHART_WIDTH, SimClrExperiment.CHART_HEIGHT);
    }

    /** Epochs and linear-probe accuracies of a run's accuracy.csv. */
    static double[][] linearProbeCurve(Path csv) throws IOException {
        if (!Files.isRegularFile(csv)) {
            throw new NoSuchFileException(csv.toString(), null, "no accuracy series to chart");
        }
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(","));
        int epochColumn = header.indexOf("epoch");
        int linearColumn = header.indexOf("linear_probe");
        if (epochColumn < 0 || linearColumn < 0) {
            throw new IOException(csv + ": expected columns epoch and linear_probe, found " + header);
        }
        double[][] curve = new double[2][lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            try {
                curve[0][i - 1] = Double.parseDouble(cells[epochColumn]);
                curve[1][i - 1] = Double.parseDouble(cells[linearColumn]);
            } catch (RuntimeException e) {
                throw new IOException(csv + ": line " + (i + 1) + " is not a row of numbers: " + lines.get(i), e);
            }
        }
        return curve;
    }

    private static Properties runProperties(Path run) throws IOException {
        Properties properties = new Properties();
        Path file = run.resolve(SimClrExperiment.RUN_PROPERTIES);
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            }
        }
        return properties;
    }
}
