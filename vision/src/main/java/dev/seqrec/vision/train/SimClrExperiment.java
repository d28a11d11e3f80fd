package dev.seqrec.vision.train;

import dev.seqrec.report.CsvSeries;
import dev.seqrec.report.LineChart;
import dev.seqrec.report.ProgressBar;
import dev.seqrec.report.TextTable;
import dev.seqrec.vision.data.FashionMnist;
import dev.seqrec.vision.data.ImageSet;
import dev.seqrec.vision.model.ConvEncoder;
import dev.seqrec.vision.model.ConvEncoderConfig;
import dev.seqrec.vision.model.EncoderCheckpoint;
import dev.seqrec.vision.probe.ProbeEvaluation;
import dev.seqrec.vision.probe.ProbeResult;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * One training run with its evaluation: the raw-pixel probes once, then the encoder's probes before training and
 * after every {@code evalEvery} epochs (and the last). Writes into the run directory:
 * {@code accuracy.csv}, {@code accuracy.png}, {@code summary.md}, {@code run.properties} and the encoder
 * checkpoint (refreshed at every evaluation).
 */
public final class SimClrExperiment {

    public static final String ACCURACY_CSV = "accuracy.csv";
    public static final String ACCURACY_PNG = "accuracy.png";
    public static final String SUMMARY_MD = "summary.md";
    public static final String RUN_PROPERTIES = "run.properties";
    public static final List<String> CSV_COLUMNS = List.of("epoch", "train_loss", "linear_probe", "knn",
            "pixels_linear_probe", "pixels_knn", "train_seconds");
    static final int CHART_WIDTH = 900;
    static final int CHART_HEIGHT = 540;
    private static final int ENCODE_BATCH = 1000;

    /** What a run produced. */
    public record Result(ProbeResult pixels, List<EpochRecord> epochs) {
        public EpochRecord last() {
            return epochs.get(epochs.size() - 1);
        }
    }

    private final ConvEncoderConfig encoderConfig;
    private final SimClrConfig trainingConfig;
    private final ProbeEvaluation probes;
    private final int evalEvery;

    public SimClrExperiment(ConvEncoderConfig encoderConfig, SimClrConfig trainingConfig, ProbeEvaluation probes,
                            int evalEvery) {
        if (evalEvery < 1) {
            throw new IllegalArgumentException("evalEvery must be at least 1, got " + evalEvery);
        }
        this.encoderConfig = encoderConfig;
        this.trainingConfig = trainingConfig;
        this.probes = probes;
        this.evalEvery = evalEvery;
    }

    /**
     * Refuses a directory that holds a run already: a new run would overwrite it piecemeal over minutes, so an
     * interrupted one would leave one run's encoder and figures under the other's settings.
     */
    public static void requireNoRunIn(Path runDirectory) {
        if (Files.exists(runDirectory) && !Files.isDirectory(runDirectory)) {
            throw new IllegalArgumentException(runDirectory + " exists and is not a directory; choose another --out");
        }
        for (String file : List.of(RUN_PROPERTIES, ACCURACY_CSV, EncoderCheckpoint.CONFIG_FILE)) {
            if (Files.exists(runDirectory.resolve(file))) {
                throw new IllegalArgumentException(runDirectory + " holds a run already (" + file
                        + "); choose another --out, or delete it first");
            }
        }
    }

    public Result run(FashionMnist.Splits data, Path runDirectory, PrintStream out) throws IOException {
        requireNoRunIn(runDirectory);
        ConvEncoder encoder = new ConvEncoder(SameDiff.create(), encoderConfig);
        SimClrTrainer trainer = new SimClrTrainer(encoder, trainingConfig);
        trainer.requireAFullBatch(data.train()); // before the probes' minutes of work and any file is written
        try {
            Files.createDirectories(runDirectory);
        } catch (FileAlreadyExistsException e) { // a file where the run directory or one of its parents goes
            throw new FileSystemException(e.getFile(), null, "exists and is not a directory");
        }
        writeRunProperties(runDirectory.resolve(RUN_PROPERTIES), data);
        ProbeResult pixels = probes.evaluate("raw pixels", ProbeEvaluation.pixels(data.train()), data.train(),
                ProbeEvaluation.pixels(data.test()), data.test());
        out.printf("raw pixels: linear probe %.4f, %d-NN %.4f%n", pixels.linearAccuracy(),
                probes.config().knnNeighbours(), pixels.knnAccuracy());
        List<EpochRecord> epochs = new ArrayList<>();
        try (CsvSeries csv = CsvSeries.create(runDirectory.resolve(ACCURACY_CSV), CSV_COLUMNS)) {
            EpochRecord initial = new EpochRecord(0, Double.NaN, evaluate(encoder, data, 0), 0);
            record(initial, pixels, epochs, csv, out);
            int steps = trainer.stepsPerEpoch(data.train());
            for (int epoch = 1; epoch <= trainingConfig.epochs(); epoch++) {
                long start = System.nanoTime();
                double meanLoss;
                try (ProgressBar bar = ProgressBar.start("epoch " + epoch + "/" + trainingConfig.epochs() + " ("
                        + trainingConfig.loss().label() + ")", steps)) {
                    meanLoss = trainer.trainEpoch(data.train(), loss -> {
                        bar.field("loss", loss);
                        bar.step();
                    });
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                out.printf("epoch %d: mean loss %.4f, %.1f s (%.3f s/step of %d images)%n", epoch, meanLoss,
                        seconds, seconds / steps, trainingConfig.batchSize());
                if (epoch % evalEvery == 0 || epoch == trainingConfig.epochs()) {
                    record(new EpochRecord(epoch, meanLoss, evaluate(encoder, data, epoch), seconds), pixels, epochs,
                            csv, out);
                    EncoderCheckpoint.save(encoder, runDirectory);
                }
            }
        }
        EncoderCheckpoint.save(encoder, runDirectory);
        Result result = new Result(pixels, List.copyOf(epochs));
        writeChart(result, runDirectory.resolve(ACCURACY_PNG));
        String table = table(result).toMarkdown();
        Files.writeString(runDirectory.resolve(SUMMARY_MD), "# SimCLR run: " + trainingConfig.loss().label()
                + "\n\n" + settings() + "\n\n" + table + "\n");
        out.println();
        out.println(table(result).toText());
        return result;
    }

    private ProbeResult evaluate(ConvEncoder encoder, FashionMnist.Splits data, int epoch) {
        INDArray train = encode(encoder, data.train(), "train", epoch);
        INDArray test = encode(encoder, data.test(), "test", epoch);
        return probes.evaluate("encoder, epoch " + epoch, train, data.train(), test, data.test());
    }

    private static INDArray encode(ConvEncoder encoder, ImageSet images, String split, int epoch) {
        try (ProgressBar bar = ProgressBar.start("encoding " + split + " (epoch " + epoch + ")", images.count())) {
            return encoder.encode(images, ENCODE_BATCH, bar::advance);
        }
    }

    private static void record(EpochRecord record, ProbeResult pixels, List<EpochRecord> epochs, CsvSeries csv,
                               PrintStream out) throws IOException {
        epochs.add(record);
        csv.append(record.epoch(), record.meanLoss(), record.encoder().linearAccuracy(),
                record.encoder().knnAccuracy(), pixels.linearAccuracy(), pixels.knnAccuracy(), record.trainSeconds());
        out.printf("epoch %d: encoder linear probe %.4f, k-NN %.4f%n", record.epoch(),
                record.encoder().linearAccuracy(), record.encoder().knnAccuracy());
    }

    /** Accuracy against epochs, the raw-pixel probes as flat reference lines. */
    static void writeChart(Result result, Path file) throws IOException {
        int n = result.epochs().size();
        double[] epochs = new double[n];
        double[] linear = new double[n];
        double[] knn = new double[n];
        double[] pixelsLinear = new double[n];
        double[] pixelsKnn = new double[n];
        for (int i = 0; i < n; i++) {
            EpochRecord record = result.epochs().get(i);
            epochs[i] = record.epoch();
            linear[i] = record.encoder().linearAccuracy();
            knn[i] = record.encoder().knnAccuracy();
            pixelsLinear[i] = result.pixels().linearAccuracy();
            pixelsKnn[i] = result.pixels().knnAccuracy();
        }
        new LineChart("Fashion-MNIST test accuracy of frozen features", "epoch", "accuracy")
                .addSeries("encoder, linear probe", epochs, linear)
                .addSeries("encoder, k-NN", epochs, knn)
                .addSeries("raw pixels, linear probe", epochs, pixelsLinear)
                .addSeries("raw pixels, k-NN", epochs, pixelsKnn)
                .writePng(file, CHART_WIDTH, CHART_HEIGHT);
    }

    static TextTable table(Result result) {
        TextTable table = new TextTable("features", "epoch", "train loss", "linear probe", "k-NN");
        table.addRow("raw pixels", "-", "-", result.pixels().linearAccuracy(), result.pixels().knnAccuracy());
        for (EpochRecord record : result.epochs()) {
            table.addRow("encoder", record.epoch(), Double.isNaN(record.meanLoss()) ? "-" : record.meanLoss(),
                    record.encoder().linearAccuracy(), record.encoder().knnAccuracy());
        }
        return table;
    }

    private String settings() {
        return "loss " + trainingConfig.loss().label() + " (tau " + trainingConfig.effectiveTemperature()
                + "), " + trainingConfig + ", " + encoderConfig + ", " + probes.config();
    }

    private void writeRunProperties(Path file, FashionMnist.Splits data) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("loss", trainingConfig.loss().label());
        properties.setProperty("temperature", Double.toString(trainingConfig.effectiveTemperature()));
        properties.setProperty("epochs", Integer.toString(trainingConfig.epochs()));
        properties.setProperty("batchSize", Integer.toString(trainingConfig.batchSize()));
        properties.setProperty("seed", Long.toString(trainingConfig.seed()));
        properties.setProperty("initSeed", Long.toString(encoderConfig.seed()));
        properties.setProperty("trainImages", Integer.toString(data.train().count()));
        properties.setProperty("testImages", Integer.toString(data.test().count()));
        try (Writer writer = Files.newBufferedWriter(file)) {
            properties.store(writer, "seqrec vision run");
        }
    }
}
