package dev.seqrec.cli;

import dev.seqrec.eval.data.DatasetReader;
import dev.seqrec.eval.data.SequenceDataset;
import dev.seqrec.report.TextTable;
import dev.seqrec.trainer.checkpoint.ModelKind;
import dev.seqrec.trainer.model.ComputeThreads;
import dev.seqrec.trainer.training.Batching;
import dev.seqrec.trainer.training.DatasetPreset;
import dev.seqrec.trainer.training.TrainingBenchmark;
import dev.seqrec.trainer.training.TrainingOptions;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seqrec bench train}: training throughput against the machine's own matrix-product rate. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Training throughput against this machine's own matrix-product rate, measured in the same run.")
public final class BenchTrainCommand implements Callable<Integer> {
    /** An hour per shape: far more than a stable figure needs, and a bound that keeps the run finite. */
    static final int MAX_GEMM_SECONDS = 3600;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Interaction file (.txt, .inter, .csv).")
    Path data;

    @Option(names = "--model", defaultValue = "sasrec", paramLabel = "sasrec|cl4srec|mclrec",
            description = "Model whose training steps are timed, as train's --model. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "40", description = "Timed training steps, after "
            + (TrainingBenchmark.WARMUP_STEPS + 1) + " warm-up steps: the first " + TrainingBenchmark.WARMUP_STEPS
            + " batches, then the timed one with the most positions (so the step workspace has its final size). "
            + "Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--gemm-seconds", paramLabel = "SECONDS", defaultValue = "2",
            description = "Seconds per matrix-product shape, at most " + MAX_GEMM_SECONDS + ". Default: ${DEFAULT-VALUE}.")
    double gemmSeconds;

    @Option(names = "--batching", defaultValue = "uniform", paramLabel = "uniform|length-buckets",
            description = "How the batches are made, as train's --batching. Default: ${DEFAULT-VALUE}.")
    String batching;

    @Option(names = "--threads", paramLabel = "N", description = "ND4J and BLAS threads. Default: one per two cores.")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        if (steps < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--steps must be >= 1, got " + steps);
        }
        // NaN and Infinity pass a sign check: NaN timed nothing, Infinity never stopped
        if (!(Double.isFinite(gemmSeconds) && gemmSeconds > 0 && gemmSeconds <= MAX_GEMM_SECONDS)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--gemm-seconds must be finite, > 0 and at most "
                    + MAX_GEMM_SECONDS + ", got " + gemmSeconds);
        }
        ModelKind kind = ChoiceOption.parse(spec, "--model", model, ModelKind::parse, ModelKind.values(), ModelKind::label);
        Batching batchingMode = ChoiceOption.parse(spec, "--batching", batching, Batching::parse, Batching.values(),
                Batching::label);
        TrainingOptions options;
        try {
            TrainingOptions.Builder builder = TrainingOptions.builder(kind, DatasetPreset.BEAUTY).batching(batchingMode);
            if (threads != null) {
                builder.threads(threads);
            }
            options = builder.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        ComputeThreads.use(options.threads());
        SequenceDataset dataset = DatasetReader.read(data);
        TrainingBenchmark.Result r = TrainingBenchmark.run(dataset, options, steps, gemmSeconds);
        System.out.printf(Locale.ROOT, "seqrec bench train: %s on %s, batch %d, %s batching, ND4J and BLAS threads: %d, "
                + "OMP_WAIT_POLICY=%s%n", options.model().label(), dataset.name(), options.batchSize(),
                options.batching().label(), options.threads(), System.getenv().getOrDefault("OMP_WAIT_POLICY", "(unset)"));
        TextTable gemm = new TextTable("ND4J gemm (float32)", "GFLOP/s");
        for (Map.Entry<String, Double> e : r.matmulGflops().entrySet()) {
            gemm.addRow(e.getKey(), String.format(Locale.ROOT, "%.2f", e.getValue()));
        }
        System.out.print(gemm.toText());
        TextTable table = new TextTable("figure", "value");
        table.addRow("timed steps", r.steps());
        table.addRow("ms / step", String.format(Locale.ROOT, "%.1f", r.msPerStep()));
        table.addRow("CPU ms / step (all threads)", String.format(Locale.ROOT, "%.1f", r.cpuMsPerStep()));
        table.addRow("samples / s", String.format(Locale.ROOT, "%.0f", r.samplesPerSecond()));
        table.addRow("GFLOP / step (analytic)", String.format(Locale.ROOT, "%.3f", r.gflopPerStep()));
        table.addRow("achieved GFLOP/s", String.format(Locale.ROOT, "%.2f", r.achievedGflops()));
        table.addRow("matmul ceiling GFLOP/s (interleaved)", String.format(Locale.ROOT, "%.2f", r.matmulCeiling()));
        table.addRow("achieved / ceiling", String.format(Locale.ROOT, "%.0f%%", 100 * r.ratio()));
        table.addRow("steps / epoch", r.stepsPerEpoch());
        table.addRow("validation pass (est.) s", String.format(Locale.ROOT, "%.1f", r.validationSeconds()));
        table.addRow("epoch (est.) s", String.format(Locale.ROOT, "%.1f", r.epochSeconds()));
        System.out.print(table.toText());
        System.out.println("How: gemm table = the step's own shapes through BLAS (no operand copies), each repeated "
                + "for --gemm-seconds; ceiling = the best of them timed once right after every timed step, so both "
                + "see the same load; step = mean wall time of the timed steps (CPU: the process's CPU time over them) on the epoch's first batches (made as "
                + "--batching says, as in training), after " + TrainingBenchmark.WARMUP_STEPS + " warm-up steps and one on "
                + "the timed batch with the most positions (the step workspace's final size); FLOPs = "
                + "per encoder run 3x forward (forward + backward) with forward = (layers - 1) x (8nd^2 + 4nd*inner + "
                + "4d x pairs) + 4nd^2 + 4Bd^2 + 4Bd*inner + 4d x last pairs (n: the batch's positions, no padding; "
                + "pairs: the (query, visible key) pairs that attention scores; the last block's queries for the last "
                + "rows only), plus 3 x 2Bd(N+1) for each L_rec; epoch = steps/epoch x "
                + "ms/step + validation scoring "
                + "extrapolated from " + TrainingBenchmark.VALIDATION_SAMPLE + " users. Compare ratios within one run: the machine is shared.");
        return 0;
    }
}
