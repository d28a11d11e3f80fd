package dev.seqrec.cli;

import dev.seqrec.vision.train.RunComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code seqrec vision eval}: probes of trained encoders against raw pixels, one table row per run. */
@Command(name = "eval",
        mixinStandardHelpOptions = true,
        description = "Loads the encoder of each run directory, runs the linear probe and the k-NN probe on its "
                + "frozen features and on raw pixels (same data, same run), and prints one comparison table.")
final class VisionEvalCommand implements Callable<Integer> {

    @Mixin
    VisionDataOptions dataOptions = new VisionDataOptions();

    @Option(names = "--run", required = true, paramLabel = "DIR",
            description = "A run directory written by 'seqrec vision train'; repeat to compare runs.")
    List<Path> runs;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the table as markdown to FILE.")
    Path out;

    @Option(names = "--chart", paramLabel = "FILE",
            description = "Also draw the runs' linear-probe accuracy against epochs (from their accuracy.csv) as a PNG.")
    Path chart;

    @Override
    public Integer call() throws Exception {
        RunComparison comparison = new RunComparison(new dev.seqrec.vision.probe.ProbeEvaluation(
                dataOptions.probeConfig()));
        comparison.compare(runs, dataOptions.load(), out, chart, System.out);
        return 0;
    }
}
