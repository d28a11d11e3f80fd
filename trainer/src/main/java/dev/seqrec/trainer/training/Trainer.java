package dev.seqrec.trainer.training;

import dev.seqrec.report.DirectoryLock;
import dev.seqrec.report.AtomicFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqrec.eval.EvaluationOptions;
import dev.seqrec.eval.EvaluationResult;
import dev.seqrec.eval.FullRankingEvaluator;
import dev.seqrec.eval.data.DatasetReader;
import dev.seqrec.eval.data.SequenceDataset;
import dev.seqrec.eval.split.EvaluationCases;
import dev.seqrec.eval.split.LeaveOneOutSplit;
import dev.seqrec.eval.split.Split;
import dev.seqrec.eval.split.TrainingSamples;
import dev.seqrec.report.LineChart;
import dev.seqrec.report.ProgressBar;
import dev.seqrec.trainer.checkpoint.Checkpoint;
import dev.seqrec.trainer.checkpoint.CheckpointException;
import dev.seqrec.trainer.checkpoint.ItemCounts;
import dev.seqrec.trainer.checkpoint.ModelKind;
import dev.seqrec.trainer.checkpoint.Provenance;
import dev.seqrec.trainer.checkpoint.Versions;
import dev.seqrec.trainer.model.Augmenters;
import dev.seqrec.trainer.model.ComputeThreads;
import dev.seqrec.trainer.model.EncoderConfig;
import dev.seqrec.trainer.model.EncoderScorer;
import dev.seqrec.trainer.model.EncoderWeights;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains SASRec, CL4SRec or MCLRec (spec sections 2-9) and writes a training output directory:
 * {@code best/} (the checkpoint with the best validation metric, MRR@10 by default), {@code last/} (the last completed epoch with the
 * optimiser and counter state, for {@code --resume}), {@code curve.csv}, {@code curve.png} (validation metrics by
 * epoch), {@code loss.png} and, once training ends, {@code test.json}.
 *
 * <p>Randomness: the initialisation follows the seed; each epoch's shuffling, augmentation and dropout follow a
 * generator seeded from (seed, epoch), so an epoch replays identically whether or not the run was interrupted, as long
 * as the build and the compute thread count are the same (they change the rounding; a resume says when they differ).
 *
 * <p>A run holds an exclusive lock on its output directory ({@code .lock} inside it) from start to end: a second run
 * on the same directory fails at once.
 */
public final class Trainer {
    public static final String BEST = "best";
    public static final String LAST = "last";
    public static final String CURVE_CSV = "curve.csv";
    public static final String CURVE_PNG = "curve.png";
    public static final String LOSS_PNG = "loss.png";
    public static final String TEST_JSON = "test.json";
    /** The validation metric selects epochs rounded to 4 decimals (spec 3). */
    private static final double SELECTION_SCALE = 1e4;
    private static final String[] CURVE_METRICS = {"hr@10", "ndcg@10", "mrr@10"};
    private static final int CHART_WIDTH = 900;
    private static final int CHART_HEIGHT = 500;
    private static final long EPOCH_SEED_MIX = 0x9E3779B97F4A7C15L;
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Options that may change when a run is resumed: they say how long or how fast it runs. The thread count also
     * changes the rounding of sums, which a resume notes.
     */
    private static final Set<String> RESUMABLE_CHANGES = Set.of("epochs", "timeLimitSeconds", "patience", "threads");
    /** The provenance option that records the compute thread count. */
    private static final String THREADS = "threads";
    /** Counters a resumable checkpoint holds (see {@link State#checkpoint}). */
    private static final List<String> COUNTERS = List.of("epoch", "best_epoch", "best_score", "bad_epochs",
            "encoder_steps", "augmenter_steps", "curve");

    private final TrainingOptions options;
    private final Path dataFile;
    private final Path out;
    private final boolean resume;
    private final PrintStream log;
    private final boolean showProgress;
    /** Wall clock in nanoseconds, for the time limit and epoch timings; tests replace it. */
    private final LongSupplier clock;
    /**
     * Read when the run starts: a jar rebuilt under a long run would otherwise name the new build in the run's
     * checkpoints.
     */
    private final String seqrecVersion = Versions.seqrec();
    private final String nd4jVersion = Versions.nd4j();

    /**
     * Summary of a run. {@code test} is null when training stopped early on the time limit (resumable).
     *
     * @param validMetric    the validation metric that selected the kept epoch ({@link TrainingOptions#validMetric})
     * @param bestValidScore its value at the kept epoch, rounded to 4 decimals
     */
    public record Report(int epochs, int bestEpoch, String validMetric, double bestValidScore, String stopReason,
                         EvaluationResult test, double secondsPerEpoch) {
    }

    public Trainer(TrainingOptions options, Path dataFile, Path out, boolean resume, PrintStream log, boolean showProgress) {
        this(options, dataFile, out, resume, log, showProgress, System::nanoTime);
    }

    Trainer(TrainingOptions options, Path dataFile, Path out, boolean resume, PrintStream log, boolean showProgress,
            LongSupplier clock) {
        this.options = options;
        this.dataFile = dataFile;
        this.out = out;
        this.resume = resume;
        this.log = log;
        this.showProgress = showProgress;
        this.clock = clock;
    }

    /**
     * The compute thread count that the run in {@code out} last trained with (recorded in its {@code last/}), so that a
     * resume can keep it; empty when there is no readable {@code last/} or it recorded none.
     */
    public static OptionalInt recordedThreads(Path out) {
        try {
            Provenance provenance = Checkpoint.readProvenance(out.resolve(LAST));
            return provenance != null && provenance.options().get(THREADS) instanceof Number n
                    ? OptionalInt.of(n.intValue()) : OptionalInt.empty();
        } catch (IOException e) {
            return OptionalInt.empty(); // the resume itself reports what is wrong with last/
        }
    }

    /**
     * Trains, holding the output directory's lock throughout.
     *
     * @throws IOException also when {@code out} is not a directory, or another run holds it
     */
    public Report run() throws IOException {
        long startNanos = clock.getAsLong();
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException(out + " is not a directory; --out names the run's output directory");
        }
        if (resume && !Files.isDirectory(out)) {
            throw nothingToResume(out.resolve(LAST));
        }
        if (!resume) {
            refuseForeignFiles(out);
        }
        boolean created = !Files.exists(out);
        Files.createDirectories(out);
        try (DirectoryLock lock = RunLock.acquire(out)) {
            try {
                return train(startNanos);
            } catch (IOException | RuntimeException | Error e) {
                if (created) { // under the lock: a run that lost the race for it must not delete the winner's
                    deleteIfOnlyTheLock(out);
                }
                throw e;
            }
        }
    }

    /** Files a run writes beside best/ and last/, replacing any of that name. */
    private static final List<String> RUN_FILES = List.of(CURVE_CSV, CURVE_PNG, LOSS_PNG, TEST_JSON);

    /**
     * A fresh run writes the curve, its charts and test.json into {@code out}: refused where one of them is there
     * already and no run is (a resumable one is refused with its own advice), as it would replace someone's file.
     * Other files stay, such as a log the user redirected into the directory.
     */
    private static void refuseForeignFiles(Path out) {
        if (!Files.isDirectory(out) || Files.exists(out.resolve(LAST))) {
            return;
        }
        for (String name : RUN_FILES) {
            if (Files.exists(out.resolve(name))) {
                throw new IllegalArgumentException(out + " already holds " + name + ", which a new run would replace, "
                        + "and no run; give a new directory as --out");
            }
        }
    }

    /**
     * Undoes the directory a run created and failed in before writing anything, so no empty run is left behind; on an
     * error here the directory stays, as the run's own failure is what the caller must hear of.
     */
    private static void deleteIfOnlyTheLock(Path out) {
        try (Stream<Path> entries = Files.list(out)) {
            if (entries.allMatch(entry -> entry.getFileName().toString().equals(RunLock.FILE))) {
                Files.deleteIfExists(out.resolve(RunLock.FILE));
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            // left for the user to remove
        }
    }

    private Report train(long startNanos) throws IOException {
        ComputeThreads.use(options.threads());
        SequenceDataset data = DatasetReader.read(dataFile);
        String dataSha = Checkpoint.sha256(dataFile);
        LeaveOneOutSplit split = new LeaveOneOutSplit(options.maxLength());
        TrainingSamples samples = split.trainingSamples(data);
        if (samples.size() < 2) {
            throw new IllegalArgumentException(dataFile + " yields " + samples.size()
                    + " training samples; at least 2 are needed (users need 4 or more items to contribute one)");
        }
        EvaluationCases valid = split.cases(data, Split.VALID);
        EncoderConfig config = options.encoderConfig(data.numItems());
        long[] itemCounts = ItemCounts.training(data);

        State state = resume ? State.resume(out.resolve(LAST), options, dataSha, config)
                : State.fresh(options, config, out);
        if (!resume && Checkpoint.isSaved(out.resolve(BEST))) {
            log.printf(Locale.ROOT, "note: %s is all that a run which stopped before finishing its first epoch's save "
                    + "left (no %s/); this run replaces it%n", out.resolve(BEST), LAST);
        }
        EncoderWeights weights = state.weights;
        Adam encoderAdam = new Adam(adamConfig(), weights.tensors());
        Adam augmenterAdam = state.augmenters == null ? null : new Adam(adamConfig(), state.augmenters.tensors());
        state.restoreOptimisers(encoderAdam, augmenterAdam);

        EncoderObjective objective = new EncoderObjective(options.model(), config, weights, options.objective(),
                state.augmenters);
        TrainingStep trainingStep = new TrainingStep(options.model(), options.maxLength(), objective,
                new SequenceAugmentation(options.cropRatio(), options.maskRatio(), options.reorderRatio()),
                encoderAdam, augmenterAdam);
        FullRankingEvaluator evaluator = new FullRankingEvaluator(EvaluationOptions.DEFAULTS.withProgress(false));
        log.printf(Locale.ROOT, "%s on %s: %d training samples, %d items, %d users; batch %d, %s batching%s%n",
                options.model().label(), data.name(), samples.size(), data.numItems(), valid.size(), options.batchSize(),
                options.batching().name().toLowerCase(Locale.ROOT), resume ? ", resumed after epoch " + state.epoch : "");
        if (state.writtenBy != null && !state.writtenBy.equals(seqrecVersion)) {
            // the dropout masks and the rounding of every step depend on the code
            log.printf(Locale.ROOT, "note: resuming epochs written by seqrec %s with seqrec %s; the result can differ "
                    + "from an uninterrupted run's%n", state.writtenBy, seqrecVersion);
        }
        if (state.writtenWithThreads != null && state.writtenWithThreads != options.threads()) {
            // ND4J splits sums across its threads: another count rounds them differently
            log.printf(Locale.ROOT, "note: resuming epochs trained with %d compute threads with %d; float sums round "
                    + "differently, so the result can differ from an uninterrupted run's%n", state.writtenWithThreads,
                    options.threads());
        }

        if (resume) {
            // last/ is saved before the curve is written: a crash between the two leaves the curve an epoch short,
            // which a resume with no epoch left to train would otherwise never rewrite; last/ holds every row
            writeCurve(state.curve);
        }
        String stopReason = "epoch limit " + options.epochs();
        double epochSeconds = 0;
        int epochsRun = 0;
        while (state.epoch < options.epochs()) {
            if (state.badEpochs > options.patience()) {
                stopReason = noImprovement(state.badEpochs);
                break;
            }
            int epoch = state.epoch + 1;
            long epochStart = clock.getAsLong();
            Random random = new Random(options.seed() ^ (epoch * EPOCH_SEED_MIX));
            List<int[]> batches = EpochPlan.batches(samples.histories(), options.batchSize(), options.batching(),
                    options.bucketBatches(), random);
            Map<String, Double> lossSums = new LinkedHashMap<>();
            boolean outOfTime = false;
            try (ProgressBar bar = showProgress ? ProgressBar.start("epoch " + epoch + "/" + options.epochs(), samples.size()) : null) {
                for (int b = 0; b < batches.size(); b++) {
                    int[] batch = batches.get(b);
                    int[][] histories = new int[batch.length][];
                    int[] targets = new int[batch.length];
                    for (int i = 0; i < batch.length; i++) {
                        histories[i] = samples.histories()[batch[i]];
                        targets[i] = samples.targets()[batch[i]];
                    }
                    Map<String, Double> losses = trainingStep.run(histories, targets, random).losses();
                    losses.forEach((k, v) -> lossSums.merge(k, v * batch.length, Double::sum));
                    if (bar != null) {
                        losses.forEach((k, v) -> {
                            if (!k.equals(ContrastiveHead.WEIGHTED_TOTAL)) {
                                bar.field(k, String.format(Locale.ROOT, "%.4f", v));
                            }
                        });
                        bar.advance(batch.length);
                    }
                    // not after the last batch: the epoch is complete, so it is validated and saved, and the time
                    // limit checked after that
                    if (b < batches.size() - 1 && timeUp(startNanos)) {
                        outOfTime = true;
                        break;
                    }
                }
            }
            if (outOfTime) {
                stopReason = state.epoch == 0
                        // last/ is only written after a whole epoch: there is nothing for --resume to continue
                        ? "time limit during epoch " + epoch + ", before any epoch completed (nothing was saved; rerun "
                                + "without --resume, or with a longer --time-limit)"
                        : "time limit during epoch " + epoch + " (its partial work is discarded; --resume continues "
                                + "from epoch " + state.epoch + ")";
                break;
            }
            Map<String, Double> meanLosses = new LinkedHashMap<>();
            lossSums.forEach((k, v) -> meanLosses.put(k, v / samples.size()));
            EvaluationResult validation = evaluator.evaluate(data.name(), valid,
                    new EncoderScorer(options.model().label(), config, weights));
            double score = selectionScore(validation.metric(options.validMetric()));
            state.epoch = epoch;
            boolean improved = score > state.bestScore;
            if (improved) {
                state.bestScore = score;
                state.bestEpoch = epoch;
                state.badEpochs = 0;
            } else {
                state.badEpochs++;
            }
            epochSeconds = (clock.getAsLong() - epochStart) / 1e9;
            epochsRun++;
            state.addCurveRow(epoch, meanLosses, validation, epochSeconds);
            Provenance provenance = provenance(dataSha, epoch, validation);
            if (improved) {
                // The test results describe the best model they were computed for: gone before that model is replaced,
                // so that a run stopped by its time limit leaves none rather than another model's
                Files.deleteIfExists(out.resolve(TEST_JSON));
                Checkpoint.of(options.model(), config, weights, data.items(), itemCounts, provenance).save(out.resolve(BEST));
            }
            state.checkpoint(options.model(), config, data, itemCounts, provenance, encoderAdam, augmenterAdam)
                    .save(out.resolve(LAST));
            writeCurve(state.curve);
            String selection = List.of(CURVE_METRICS).contains(options.validMetric()) ? ""
                    : String.format(Locale.ROOT, " %s %.4f", label(options.validMetric()),
                    validation.metric(options.validMetric()));
            log.printf(Locale.ROOT, "epoch %d: loss %.4f, valid HR@10 %.4f NDCG@10 %.4f MRR@10 %.4f%s%s (%.1f s)%n",
                    epoch, meanLosses.get(EncoderObjective.TOTAL), validation.metric("hr@10"),
                    validation.metric("ndcg@10"), validation.metric("mrr@10"), selection,
                    improved ? " *best*" : " (" + state.badEpochs + " without improvement)", epochSeconds);
            if (timeUp(startNanos) && state.epoch < options.epochs() && state.badEpochs <= options.patience()) {
                stopReason = "time limit after epoch " + epoch + " (--resume continues)";
                return new Report(state.epoch, state.bestEpoch, options.validMetric(), state.bestScore, stopReason, null, epochSeconds);
            }
        }
        if (state.badEpochs > options.patience()) {
            stopReason = noImprovement(state.badEpochs);
        }
        if (stopReason.startsWith("time limit")) {
            return new Report(state.epoch, state.bestEpoch, options.validMetric(), state.bestScore, stopReason, null, epochSeconds);
        }
        Checkpoint best = Checkpoint.load(out.resolve(BEST));
        if (best.provenance().epoch() != state.bestEpoch) {
            // best/ is saved before last/: a crash between the two leaves best/ an epoch ahead of the counters,
            // which resuming repairs by replaying that epoch, unless the epoch limit ends the run first or the
            // replay (another build or thread count) no longer improves. The test is of best/, so say which it is.
            log.printf(Locale.ROOT, "note: %s holds epoch %d while the run's counters name epoch %d as the best (a crash "
                    + "between saving %s/ and %s/); testing %s/ as it is%n", out.resolve(BEST),
                    best.provenance().epoch(), state.bestEpoch, BEST, LAST, BEST);
            state.bestEpoch = best.provenance().epoch();
            state.bestScore = selectionScore(best.provenance().metrics().getOrDefault("valid_" + options.validMetric(),
                    Double.NaN));
        }
        EvaluationResult test = evaluator.evaluate(data.name(), split.cases(data, Split.TEST),
                best.scorer(options.model().label()));
        AtomicFile.writeString(out.resolve(TEST_JSON), test.toJson());
        log.printf(Locale.ROOT, "stopped: %s; best epoch %d (valid %s %.4f); test:%n%s", stopReason,
                state.bestEpoch, label(options.validMetric()), state.bestScore, EvaluationResult.comparisonTable(List.of(test)).toText());
        return new Report(state.epoch, state.bestEpoch, options.validMetric(), state.bestScore, stopReason, test, epochsRun == 0 ? 0 : epochSeconds);
    }

    private boolean timeUp(long startNanos) {
        return options.timeLimitSeconds() > 0 && (clock.getAsLong() - startNanos) / 1e9 >= options.timeLimitSeconds();
    }

    private Adam.AdamConfig adamConfig() {
        return new Adam.AdamConfig(options.learningRate(), Adam.AdamConfig.DEFAULT_BETA1, Adam.AdamConfig.DEFAULT_BETA2,
                Adam.AdamConfig.DEFAULT_EPSILON);
    }

    private Provenance provenance(String dataSha, int epoch, EvaluationResult validation) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        validation.metrics().forEach((k, v) -> metrics.put("valid_" + k, v));
        @SuppressWarnings("unchecked")
        Map<String, Object> optionMap = JSON.convertValue(options, LinkedHashMap.class);
        return new Provenance("train", dataFile.toAbsolutePath().normalize().toString(), dataSha, optionMap, epoch,
                metrics, seqrecVersion, nd4jVersion, Instant.now().toString());
    }

    private void writeCurve(List<Map<String, Object>> curve) throws IOException {
        List<String> columns = new ArrayList<>(curve.get(0).keySet());
        StringBuilder csv = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, Object> row : curve) {
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                cells.add(String.valueOf(row.getOrDefault(c, "")));
            }
            csv.append(String.join(",", cells)).append('\n');
        }
        AtomicFile.writeString(out.resolve(CURVE_CSV), csv.toString());
        double[] epochs = column(curve, "epoch");
        LineChart metrics = new LineChart(options.model().label() + " validation", "epoch", "metric");
        for (String m : CURVE_METRICS) {
            metrics.addSeries("valid " + m.toUpperCase(Locale.ROOT), epochs, column(curve, "valid_" + m));
        }
        metrics.writePng(out.resolve(CURVE_PNG), CHART_WIDTH, CHART_HEIGHT);
        LineChart loss = new LineChart(options.model().label() + " training loss", "epoch", "loss");
        for (String c : columns) {
            if (c.startsWith("loss_")) {
                loss.addSeries(c.substring("loss_".length()), epochs, column(curve, c));
            }
        }
        loss.writePng(out.resolve(LOSS_PNG), CHART_WIDTH, CHART_HEIGHT);
    }

    private static double[] column(List<Map<String, Object>> curve, String name) {
        double[] values = new double[curve.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = ((Number) curve.get(i).get(name)).doubleValue();
        }
        return values;
    }

    /** Weights, optimiser state and counters: everything --resume needs. */
    private static final class State {
        /** The seqrec build that wrote the checkpoint resumed from; null for a fresh run. */
        String writtenBy;
        /** The compute thread count of the epoch resumed from; null for a fresh run, or when it was not recorded. */
        Integer writtenWithThreads;
        EncoderWeights weights;
        Augmenters augmenters;
        int epoch;
        int bestEpoch;
        double bestScore = Double.NEGATIVE_INFINITY;
        int badEpochs;
        long encoderSteps;
        long augmenterSteps;
        Map<String, INDArray> optimiserState = Map.of();
        List<Map<String, Object>> curve = new ArrayList<>();

        static State fresh(TrainingOptions options, EncoderConfig config, Path out) throws IOException {
            // Only last/ makes a run resumable: best/ alone is what a crash between epoch 1's saves of best/ and
            // last/ leaves, a run with no finished epoch, which this one replaces rather than leave the user stuck
            if (Checkpoint.isSaved(out.resolve(LAST))) {
                throw new IllegalArgumentException(out + " already holds a training run; use --resume to continue it or choose another --out");
            }
            State s = new State();
            s.weights = EncoderWeights.initialise(config, options.seed(), DataType.FLOAT);
            s.augmenters = options.model() == ModelKind.MCLREC
                    ? Augmenters.initialise(config.hiddenSize(), options.seed() + 1, DataType.FLOAT) : null;
            return s;
        }

        @SuppressWarnings("unchecked")
        static State resume(Path last, TrainingOptions options, String dataSha, EncoderConfig config) throws IOException {
            if (!Checkpoint.isSaved(last)) { // a crash between a save's renames leaves last/ aside, which still counts
                throw nothingToResume(last);
            }
            Checkpoint c = Checkpoint.load(last);
            List<String> missing = COUNTERS.stream().filter(k -> c.trainingCounters().get(k) == null).toList();
            if (!missing.isEmpty()) {
                throw new CheckpointException(last + " is not a training run's last epoch: it holds no training "
                        + "counters (" + String.join(", ", missing) + "), as a checkpoint from import-weights or a "
                        + "copy of " + BEST + "/ would; --resume needs the " + LAST + "/ that seqrec train wrote");
            }
            if (!c.provenance().dataSha256().equals(dataSha)) {
                throw new CheckpointException(last + " was trained on a different data file (SHA-256 differs)");
            }
            if (c.kind() != options.model()) {
                throw new CheckpointException(last + " holds a " + c.kind().label() + " run; the options ask for "
                        + options.model().label() + " (resume with --model " + c.kind().label() + ")");
            }
            // the options before the encoders: they name what was changed (maxLength: 10 -> 12)
            List<String> changed = changedOptions(c.provenance().options(), options);
            if (!changed.isEmpty()) {
                throw new CheckpointException(last + " was trained with other options (" + String.join(", ", changed)
                        + "); resume with the options the run started with, or start a new run");
            }
            if (!c.config().equals(config)) { // what the options do not say, such as numItems
                List<String> differences = differences(JSON.valueToTree(c.config()), JSON.valueToTree(config));
                throw new CheckpointException(last + " holds an encoder that differs from the one these options and "
                        + "data make"
                        + (differences.isEmpty() ? "" : " (" + String.join(", ", differences) + ")"));
            }
            State s = new State();
            s.writtenBy = c.provenance().seqrecVersion();
            s.writtenWithThreads = c.provenance().options().get(THREADS) instanceof Number n ? n.intValue() : null;
            Map<String, Object> counters = c.trainingCounters();
            s.weights = c.weights();
            s.epoch = ((Number) counters.get("epoch")).intValue();
            s.bestEpoch = ((Number) counters.get("best_epoch")).intValue();
            s.bestScore = ((Number) counters.get("best_score")).doubleValue();
            s.badEpochs = ((Number) counters.get("bad_epochs")).intValue();
            s.encoderSteps = ((Number) counters.get("encoder_steps")).longValue();
            s.augmenterSteps = ((Number) counters.get("augmenter_steps")).longValue();
            s.curve = new ArrayList<>((List<Map<String, Object>>) counters.get("curve"));
            Map<String, INDArray> augmenterTensors = new LinkedHashMap<>();
            Map<String, INDArray> optimiser = new LinkedHashMap<>();
            c.trainingState().forEach((name, t) -> {
                if (name.startsWith("augmenter1.") || name.startsWith("augmenter2.")) {
                    augmenterTensors.put(name, t);
                } else {
                    optimiser.put(name, t);
                }
            });
            s.augmenters = options.model() == ModelKind.MCLREC ? Augmenters.of(augmenterTensors) : null;
            s.optimiserState = optimiser;
            return s;
        }

        /**
         * Options that differ from those the run started with, as "name: then -> now", except those that say how long
         * or how fast it runs ({@link #RESUMABLE_CHANGES}). Options the run did not record (it predates them) and
         * options that these options do not read ({@link TrainingOptions#unread}) are not compared.
         */
        private static List<String> changedOptions(Map<String, Object> started, TrainingOptions now) {
            Set<String> unread = now.unread();
            List<String> changed = new ArrayList<>();
            for (String difference : differences(JSON.valueToTree(started), JSON.valueToTree(now))) {
                String name = difference.substring(0, difference.indexOf(':'));
                if (!RESUMABLE_CHANGES.contains(name) && !unread.contains(name)) {
                    changed.add(difference);
                }
            }
            return changed;
        }

        /** The fields, flattened ({@code objective.beta}), that both hold with different values: "name: then -> now". */
        private static List<String> differences(JsonNode then, JsonNode now) {
            Map<String, JsonNode> before = flatten(then);
            List<String> differences = new ArrayList<>();
            flatten(now).forEach((name, value) -> {
                JsonNode old = before.get(name);
                if (old != null && !sameValue(old, value)) {
                    differences.add(name + ": " + old.asText() + " -> " + value.asText());
                }
            });
            return differences;
        }

        private static Map<String, JsonNode> flatten(JsonNode node) {
            Map<String, JsonNode> fields = new LinkedHashMap<>();
            node.fields().forEachRemaining(field -> {
                if (field.getValue().isObject()) {
                    flatten(field.getValue()).forEach((name, value) -> fields.put(field.getKey() + "." + name, value));
                } else {
                    fields.put(field.getKey(), field.getValue());
                }
            });
            return fields;
        }

        /** Equal values, whatever integer width the JSON reader picked (a long seed reads back as an int). */
        private static boolean sameValue(JsonNode a, JsonNode b) {
            return a.isNumber() && b.isNumber() ? a.decimalValue().compareTo(b.decimalValue()) == 0 : a.equals(b);
        }

        void restoreOptimisers(Adam encoder, Adam augmenter) {
            if (optimiserState.isEmpty()) {
                return;
            }
            encoder.restore(prefixed(optimiserState, "theta_adam."), encoderSteps);
            if (augmenter != null) {
                augmenter.restore(prefixed(optimiserState, "phi_adam."), augmenterSteps);
            }
        }

        private static Map<String, INDArray> prefixed(Map<String, INDArray> all, String prefix) {
            Map<String, INDArray> selected = new LinkedHashMap<>();
            all.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    selected.put(k.substring(prefix.length()), v);
                }
            });
            return selected;
        }

        void addCurveRow(int epoch, Map<String, Double> losses, EvaluationResult validation, double seconds) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", epoch);
            losses.forEach((k, v) -> {
                if (!k.equals(ContrastiveHead.WEIGHTED_TOTAL)) {
                    row.put("loss_" + k, v);
                }
            });
            validation.metrics().forEach((k, v) -> row.put("valid_" + k, v));
            row.put("seconds", seconds);
            curve.add(row);
        }

        Checkpoint checkpoint(ModelKind kind, EncoderConfig config, SequenceDataset data, long[] itemCounts,
                              Provenance provenance, Adam encoder, Adam augmenter) {
            Map<String, Object> counters = new LinkedHashMap<>();
            counters.put("epoch", epoch);
            counters.put("best_epoch", bestEpoch);
            counters.put("best_score", bestScore);
            counters.put("bad_epochs", badEpochs);
            counters.put("encoder_steps", encoder.steps());
            counters.put("augmenter_steps", augmenter == null ? 0 : augmenter.steps());
            counters.put("curve", curve);
            Map<String, INDArray> tensors = new LinkedHashMap<>();
            encoder.state().forEach((k, v) -> tensors.put("theta_adam." + k, v));
            if (augmenter != null) {
                augmenter.state().forEach((k, v) -> tensors.put("phi_adam." + k, v));
                tensors.putAll(augmenters.tensors());
            }
            return new Checkpoint(kind, config, weights, data.items(), itemCounts, provenance, counters, tensors);
        }
    }

    /** Also when best/ exists: without last/ no epoch finished saving, and a run without --resume starts afresh. */
    private static CheckpointException nothingToResume(Path last) {
        return new CheckpointException("nothing to resume: " + last + " does not exist, so no epoch finished there; "
                + "train without --resume to start the run");
    }

    /** A validation metric as selection compares it. */
    private static double selectionScore(double metric) {
        return Math.round(metric * SELECTION_SCALE) / SELECTION_SCALE;
    }

    /** A metric as the logs print it: mrr@10 as MRR@10. */
    public static String label(String metric) {
        return metric.toUpperCase(Locale.ROOT);
    }

    private static String noImprovement(int badEpochs) {
        return "no validation improvement for " + badEpochs + (badEpochs == 1 ? " epoch" : " epochs");
    }
}
