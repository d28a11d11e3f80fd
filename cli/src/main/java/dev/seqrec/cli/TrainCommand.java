package dev.seqrec.cli;

import dev.seqrec.trainer.checkpoint.Checkpoint;
import dev.seqrec.trainer.checkpoint.ModelKind;
import dev.seqrec.trainer.model.EncoderConfig;
import dev.seqrec.trainer.training.Batching;
import dev.seqrec.trainer.training.DatasetPreset;
import dev.seqrec.trainer.training.ObjectiveWeights;
import dev.seqrec.trainer.training.Trainer;
import dev.seqrec.trainer.training.TrainingOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seqrec train}: SASRec, CL4SRec or MCLRec on an interaction file (mclrec-spec sections 2-9). */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train sasrec, cl4srec or mclrec with validation every epoch, early stopping on valid MRR@10 (--valid-metric), "
                + "the best model in OUT/best, a resumable OUT/last, curve.csv, curve.png and loss.png, and test.json at the end.")
final class TrainCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Interaction file (.txt, .inter, .csv).")
    Path data;

    @Option(names = "--model", required = true, paramLabel = "sasrec|cl4srec|mclrec",
            description = "Model to train: sasrec (the transformer encoder on next-item prediction alone), cl4srec "
                    + "(plus the contrastive loss L_cl1, weight --lambda, between two random crop/mask/reorder views "
                    + "of each history) or mclrec (plus learnable augmenters and their meta term, weight --beta).")
    String model;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Training output directory; one run at a time (a second run on it fails at once).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its last completed epoch.")
    boolean resume;

    @Option(names = "--preset", defaultValue = "beauty", paramLabel = "beauty|sports|toys|yelp|ml-1m",
            description = "Per-dataset lambda, beta and dropout of the reference scripts. Default: ${DEFAULT-VALUE}.")
    String preset;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "" + TrainingOptions.DEFAULT_EPOCHS, description = "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--time-limit", paramLabel = "DURATION", description = "Stop after this wall time, resumably: 90m, 2h, 1h30m, 45s.")
    String timeLimit;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + TrainingOptions.DEFAULT_BATCH_SIZE, description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--lr", paramLabel = "X", defaultValue = "" + TrainingOptions.DEFAULT_LEARNING_RATE, description = "Adam learning rate (encoder and augmenters). Default: ${DEFAULT-VALUE}.")
    double learningRate;

    @Option(names = "--hidden-size", paramLabel = "N", defaultValue = "" + EncoderConfig.DEFAULT_HIDDEN, description = "Default: ${DEFAULT-VALUE}.")
    int hiddenSize;

    @Option(names = "--layers", paramLabel = "N", defaultValue = "" + EncoderConfig.DEFAULT_LAYERS, description = "Default: ${DEFAULT-VALUE}.")
    int layers;

    @Option(names = "--heads", paramLabel = "N", defaultValue = "" + EncoderConfig.DEFAULT_HEADS, description = "Default: ${DEFAULT-VALUE}.")
    int heads;

    @Option(names = "--inner-size", paramLabel = "N", defaultValue = "" + EncoderConfig.DEFAULT_INNER, description = "Default: ${DEFAULT-VALUE}.")
    int innerSize;

    @Option(names = "--max-length", paramLabel = "N", defaultValue = "" + EncoderConfig.DEFAULT_MAX_LENGTH, description = "History cap L. Default: ${DEFAULT-VALUE}.")
    int maxLength;

    @Option(names = "--hidden-dropout", paramLabel = "X", description = "Probability of dropping (default: the preset's, 0.5).")
    Double hiddenDropout;

    @Option(names = "--attention-dropout", paramLabel = "X", description = "Probability of dropping (default: the preset's, 0.5).")
    Double attentionDropout;

    @Option(names = "--layer-norm-eps", paramLabel = "X", defaultValue = "" + EncoderConfig.DEFAULT_LAYER_NORM_EPS, description = "Default: ${DEFAULT-VALUE}.")
    double layerNormEps;

    @Option(names = "--init-std", paramLabel = "X", defaultValue = "" + EncoderConfig.DEFAULT_INIT_STD, description = "Default: ${DEFAULT-VALUE}.")
    double initStd;

    @Option(names = "--crop-ratio", paramLabel = "X", defaultValue = "" + TrainingOptions.DEFAULT_CROP_RATIO, description = "Share removed by crop. Default: ${DEFAULT-VALUE}.")
    double cropRatio;

    @Option(names = "--mask-ratio", paramLabel = "X", defaultValue = "" + TrainingOptions.DEFAULT_MASK_RATIO, description = "Default: ${DEFAULT-VALUE}.")
    double maskRatio;

    @Option(names = "--reorder-ratio", paramLabel = "X", defaultValue = "" + TrainingOptions.DEFAULT_REORDER_RATIO, description = "Default: ${DEFAULT-VALUE}.")
    double reorderRatio;

    @Option(names = "--lambda", paramLabel = "X", description = "Weight of L_cl1; cl4srec and mclrec only (default: the preset's; cl4srec uses 0.1 where the preset gives 0).")
    Double lambda;

    @Option(names = "--beta", paramLabel = "X", description = "Weight of MCLRec's meta term; mclrec only (default: the preset's).")
    Double beta;

    @Option(names = "--temperature", paramLabel = "X", defaultValue = "" + TrainingOptions.DEFAULT_TEMPERATURE, description = "tau of L_cl1 and R. Default: ${DEFAULT-VALUE}.")
    double temperature;

    @Option(names = "--regularizer-weight", paramLabel = "X", defaultValue = "" + ObjectiveWeights.DEFAULT_REGULARIZER_WEIGHT, description = "Factor of R in the meta term. Default: ${DEFAULT-VALUE}.")
    double regularizerWeight;

    @Option(names = "--no-regularizer", description = "Drop R (the reference's use_rl = 0).")
    boolean noRegularizer;

    @Option(names = "--joint", description = "MCLRec-J (the reference's joint = 1): encoder and augmenters minimise "
            + "the encoder objective together in one pass per batch, instead of the three alternating passes.")
    boolean joint;

    @Option(names = "--patience", paramLabel = "N", defaultValue = "" + TrainingOptions.DEFAULT_PATIENCE, description = "Default: ${DEFAULT-VALUE}.")
    int patience;

    @Option(names = "--valid-metric", paramLabel = "METRIC", defaultValue = TrainingOptions.DEFAULT_VALID_METRIC,
            description = "The validation metric, rounded to 4 decimals, that keeps the best epoch and counts "
                    + "--patience: hr, ndcg or mrr at 5, 10, 20 or 50. Default: ${DEFAULT-VALUE} (the spec's).")
    String validMetric;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "" + TrainingOptions.DEFAULT_SEED, description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--batching", defaultValue = "uniform", paramLabel = "uniform|length-buckets",
            description = "uniform = the reference's batches; length-buckets = batches of similar length (windows of "
                    + "--bucket-batches batches sorted by history length, then cut: a batch can still mix neighbouring "
                    + "lengths), not the reference's in-batch negatives and hardly faster (the encoder runs on the "
                    + "positions alone either way). Default: ${DEFAULT-VALUE}.")
    String batching;

    @Option(names = "--bucket-batches", paramLabel = "N", defaultValue = "" + TrainingOptions.DEFAULT_BUCKET_BATCHES,
            description = "Batches per length-sorting window; length-buckets only. Default: ${DEFAULT-VALUE}.")
    int bucketBatches;

    @Option(names = "--threads", paramLabel = "N", description = "ND4J and BLAS threads; another count rounds sums differently. Default: "
            + "one per two cores (a second thread did not speed up a step on 2 cores); with --resume, the count the "
            + "run last trained with.")
    Integer threads;

    @Option(names = "--no-progress", description = "Do not draw a progress bar.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        refuseUnusableOut();
        TrainingOptions options = options();
        Thread interrupted = new Thread(() -> System.err.println(interruptedMessage()), "seqrec-train-interrupted");
        Runtime.getRuntime().addShutdownHook(interrupted);
        Trainer.Report report;
        try {
            report = new Trainer(options, data, out, resume, System.out, !noProgress).run();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook tells the user where the run stands
            }
        }
        if (report.epochs() == 0) {
            System.out.printf(Locale.ROOT, "no epoch completed; %s%n", report.stopReason());
        } else {
            System.out.printf(Locale.ROOT, "%s, best epoch %d, valid %s %.4f; %s; output in %s%n",
                    Plural.count(report.epochs(), "epoch"), report.bestEpoch(), Trainer.label(report.validMetric()),
                    report.bestValidScore(),
                    report.stopReason(), out);
        }
        return 0;
    }

    /** What a Ctrl-C or kill leaves: the last finished epoch, which --resume continues from, or nothing. */
    private String interruptedMessage() {
        Path last = out.resolve(Trainer.LAST);
        try {
            if (Checkpoint.isSaved(last)) {
                int epoch = Checkpoint.readProvenance(last).epoch();
                return String.format(Locale.ROOT, "seqrec train: interrupted; %s holds epoch %d, and the same command "
                        + "with --resume continues from there", last, epoch);
            }
        } catch (IOException | RuntimeException e) {
            return "seqrec train: interrupted; " + last + " cannot be read (" + e.getMessage() + ")";
        }
        return "seqrec train: interrupted before an epoch was saved; nothing to resume (run the command again without "
                + "--resume)";
    }

    private TrainingOptions options() {
        ModelKind kind = ChoiceOption.parse(spec, "--model", model, ModelKind::parse, ModelKind.values(), ModelKind::label);
        DatasetPreset datasetPreset = ChoiceOption.parse(spec, "--preset", preset, DatasetPreset::parse,
                DatasetPreset.values(), DatasetPreset::label);
        Batching batchingMode = ChoiceOption.parse(spec, "--batching", batching, Batching::parse, Batching.values(),
                Batching::label);
        try {
            TrainingOptions d = TrainingOptions.defaults(kind, datasetPreset);
            ObjectiveWeights objective = new ObjectiveWeights(lambda == null ? d.objective().lambda() : lambda,
                    beta == null ? d.objective().beta() : beta, temperature, regularizerWeight, !noRegularizer, joint);
            return d.toBuilder().epochs(epochs)
                    .timeLimit(timeLimit == null ? null : DurationOption.parse("--time-limit", timeLimit))
                    .batchSize(batchSize).learningRate(learningRate).hiddenSize(hiddenSize).layers(layers).heads(heads)
                    .innerSize(innerSize).maxLength(maxLength)
                    .hiddenDropout(hiddenDropout == null ? d.hiddenDropout() : hiddenDropout)
                    .attentionDropout(attentionDropout == null ? d.attentionDropout() : attentionDropout)
                    .layerNormEps(layerNormEps).initStd(initStd)
                    .cropRatio(cropRatio).maskRatio(maskRatio).reorderRatio(reorderRatio).objective(objective)
                    .patience(patience).validMetric(validMetric).seed(seed).batching(batchingMode).bucketBatches(bucketBatches)
                    .threads(threads != null ? threads
                            // resumed epochs replay as they ran only on the thread count they ran on
                            : resume ? Trainer.recordedThreads(out).orElse(d.threads()) : d.threads())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * Refuses, before any training, an --out that could not hold the run: a file there, or a file where one of its
     * directories should be, or a directory that cannot be written. Found later, they would fail after the first epoch.
     */
    private void refuseUnusableOut() {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw usage("--out " + out + " is a file; give a directory for the run's output");
        }
        Path existing = CliPaths.nearestExisting(out);
        if (existing != null && !Files.isDirectory(existing)) {
            throw usage("--out " + out + ": " + existing + " is a file, not a directory");
        }
        if (existing != null && !Files.isWritable(existing)) {
            throw usage("--out " + out + ": " + existing + " cannot be written");
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
