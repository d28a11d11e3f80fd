package dev.seqrec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqrec.vision.model.ConvEncoder;
import dev.seqrec.vision.model.ConvEncoderConfig;
import dev.seqrec.vision.model.EncoderCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * {@code vision train} and {@code vision eval} refuse what they cannot do before loading or probing any image (the
 * tests point --data at a directory that does not exist, so a check made later would report that instead), with one
 * line naming the option at fault.
 */
class VisionOptionChecksTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    private List<String> seqrecErrLines() {
        return console.stderr().lines().filter(l -> l.startsWith("seqrec")).toList();
    }

    private String[] train(String... options) {
        List<String> arguments = new ArrayList<>(List.of("vision", "train", "--data", dir.resolve("no-images").toString()));
        if (!Arrays.asList(options).contains("--out")) {
            arguments.addAll(List.of("--out", dir.resolve("run").toString()));
        }
        arguments.addAll(List.of(options));
        return arguments.toArray(String[]::new);
    }

    /** A run directory with an encoder checkpoint but no accuracy.csv, as a run stopped early or copied leaves. */
    private Path checkpointOnlyRun() throws IOException {
        Path run = dir.resolve("ckptonly");
        EncoderCheckpoint.save(new ConvEncoder(SameDiff.create(), new ConvEncoderConfig(28, 28, 2, 2, 4, 4, 1L)), run);
        return run;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--knn-k|0|--knn-k must be >= 1, got 0",
            "--probe-epochs|0|--probe-epochs must be >= 1, got 0",
            "--channels|0,32|--channels must be two numbers >= 1, got 0,32",
            "--head-hidden-dim|0|--head-hidden-dim must be >= 1, got 0",
            "--eval-every|0|--eval-every must be >= 1, got 0",
            "--batch-size|1|--batch-size must be >= 2, got 1",
            "--epochs|-1|--epochs must be >= 0, got -1",
            "--images-per-epoch|-5|--images-per-epoch must be >= 0, got -5",
            "--learning-rate|0|--learning-rate must be a finite number > 0, got 0.0",
            "--train-limit|-1|--train-limit must be >= 0, got -1",
            "--temperature|NaN|--temperature must be a finite number > 0, got NaN",
            "--temperature|Infinity|--temperature must be a finite number > 0, got Infinity",
            "--temperature|0|--temperature must be a finite number > 0, got 0.0",
            "--loss|triplet|--loss must be one of infonce, dcl, dclw, supcon, got 'triplet'",
    })
    void trainOptionsOutOfRangeAreRefusedNamingTheOption(String option, String value, String message) {
        assertEquals(2, SeqrecCli.run(train(option, value)), console.stderr());
        assertEquals(List.of("seqrec: " + message), seqrecErrLines());
    }

    @Test
    void evalProbeOptionsOutOfRangeAreRefusedNamingTheOption() throws IOException {
        Path run = checkpointOnlyRun();
        assertEquals(2, SeqrecCli.run("vision", "eval", "--run", run.toString(), "--data",
                dir.resolve("no-images").toString(), "--knn-k", "0"), console.stderr());
        assertEquals(List.of("seqrec: --knn-k must be >= 1, got 0"), seqrecErrLines());
    }

    @Test
    void trainOutThatIsAFileIsRefusedBeforeLoadingImages() throws IOException {
        Path file = Files.writeString(dir.resolve("afile"), "not a directory");
        assertEquals(1, SeqrecCli.run(train("--out", file.toString())));
        assertEquals(List.of("seqrec vision train: " + file + " exists and is not a directory; choose another --out"),
                seqrecErrLines());
    }

    @Test
    void trainOutBelowAFileIsRefusedBeforeLoadingImages() throws IOException {
        Path file = Files.writeString(dir.resolve("afile"), "not a directory");
        Path out = file.resolve("run");
        assertEquals(1, SeqrecCli.run(train("--out", out.toString())));
        assertEquals(List.of("seqrec vision train: --out " + out + ": " + file + " exists and is not a directory"),
                seqrecErrLines());
    }

    @Test
    void evalOutBelowAFileIsRefusedBeforeProbing() throws IOException {
        Path run = checkpointOnlyRun();
        Path file = Files.writeString(dir.resolve("afile"), "not a directory");
        Path out = file.resolve("table.md");
        assertEquals(1, SeqrecCli.run("vision", "eval", "--run", run.toString(), "--data",
                dir.resolve("no-images").toString(), "--out", out.toString()));
        assertEquals(List.of("seqrec vision eval: --out " + out + ": " + file + " exists and is not a directory"),
                seqrecErrLines());
    }

    @Test
    void evalChartOfARunWithoutAccuracySeriesIsRefusedBeforeProbing() throws IOException {
        Path run = checkpointOnlyRun();
        Path chart = dir.resolve("chart.png");
        assertEquals(1, SeqrecCli.run("vision", "eval", "--run", run.toString(), "--data",
                dir.resolve("no-images").toString(), "--chart", chart.toString()));
        assertEquals(List.of("seqrec vision eval: --chart: " + run.resolve("accuracy.csv")
                + ": no accuracy series (not a finished run directory?)"), seqrecErrLines());
        assertTrue(Files.notExists(chart));
    }

    @Test
    void evalOutIntoFoldersThatDoNotExistYetIsWritten() throws IOException {
        Path run = Files.createDirectories(dir.resolve("recorded-run"));
        Files.writeString(run.resolve("accuracy.csv"), "epoch,train_loss,linear_probe,knn,pixels_linear_probe,"
                + "pixels_knn,train_seconds\n0,NaN,0.89,0.87,0.85,0.84,0\n");
        Path out = dir.resolve("new/folders/table.md");
        assertEquals(0, SeqrecCli.run("vision", "eval", "--recorded", "--run", run.toString(), "--out",
                out.toString()), console.stderr());
        assertTrue(Files.readString(out).contains("| " + run + " "), Files.readString(out));
    }
}
