package dev.seqrec.cli;

import dev.seqrec.trainer.model.ComputeBackend;
import dev.seqrec.vision.data.FashionMnist;
import dev.seqrec.vision.probe.ProbeEvaluation;
import dev.seqrec.vision.train.RunComparison;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code seqrec vision eval}: probes of trained encoders against raw pixels, one table row per run. */
@Command(name = "eval",
        mixinStandardHelpOptions = true,
        description = "Loads the encoder of each run directory, runs the linear probe and the k-NN probe on its "
                + "frozen features and on raw pixels (same data, same run), and prints one comparison table. "
                + "With --recorded, tabulates what the runs recorded during training instead (no recomputation).")
final class VisionEvalCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    VisionDataOptions dataOptions = new VisionDataOptions();

    @Option(names = "--run", required = true, paramLabel = "DIR",
            description = "A run directory written by 'seqrec vision train'; repeat to compare runs.")
    List<Path> runs;

    @Option(names = "--recorded", description = "Read each run's accuracy.csv instead of re-evaluating its encoder.")
    boolean recorded;

    @Option(names = "--at-epoch", paramLabel = "N",
            description = "With --recorded: the row of epoch N (default: each run's last evaluation).")
    Integer atEpoch;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Also write the table as markdown to FILE (missing folders are created).")
    Path out;

    @Option(names = "--chart", paramLabel = "FILE",
            description = "Also draw the runs' linear-probe accuracy against epochs (from their accuracy.csv, which "
                    + "every run then needs) as a PNG, with one raw-pixel line per distinct pixel baseline.")
    Path chart;

    @Override
    public Integer call() throws Exception {
        if (atEpoch != null && !recorded) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--at-epoch needs --recorded (a saved encoder has one epoch only)");
        }
        if (atEpoch != null && atEpoch < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--at-epoch must be 0 (before training) or more, got " + atEpoch);
        }
        dataOptions.check(new VisionOptionChecks(spec.commandLine()));
        // Everything that can fail without the images fails before the minutes of probing.
        if (out != null) {
            VisionOptionChecks.requireWritableFile("--out", out);
        }
        if (chart != null) {
            VisionOptionChecks.requireWritableFile("--chart", chart);
            try {
                RunComparison.requireSeries(runs);
            } catch (IOException e) {
                throw new IOException("--chart: " + e.getMessage(), e);
            }
        }
        return compare();
    }

    private int compare() throws Exception {
        ComputeBackend.start();
        List<RunComparison.RunResult> results;
        String caption;
        if (recorded) {
            results = RunComparison.recorded(runs, atEpoch);
            caption = "Fashion-MNIST test accuracy of frozen features, as recorded by each run";
        } else {
            FashionMnist.Splits data = dataOptions.load();
            ProbeEvaluation probes = new ProbeEvaluation(dataOptions.probeConfig());
            results = RunComparison.reevaluate(runs, data, probes);
            caption = "Fashion-MNIST test accuracy of frozen features (" + data.train().count() + " train / "
                    + data.test().count() + " test images, " + probes.config() + ")";
        }
        RunComparison.report(results, caption, out, chart, System.out);
        return 0;
    }
}
