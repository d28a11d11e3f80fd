package dev.seqrec.trainer.training;

import dev.seqrec.report.DirectoryLock;
import dev.seqrec.report.DirectoryTree;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqrec.eval.EvaluationOptions;
import dev.seqrec.eval.EvaluationResult;
import dev.seqrec.eval.FullRankingEvaluator;
import dev.seqrec.eval.data.CyclicSequences;
import dev.seqrec.eval.data.DatasetReader;
import dev.seqrec.eval.data.SequenceDataset;
import dev.seqrec.eval.split.LeaveOneOutSplit;
import dev.seqrec.eval.split.Split;
import dev.seqrec.trainer.checkpoint.Checkpoint;
import dev.seqrec.trainer.checkpoint.CheckpointException;
import dev.seqrec.trainer.checkpoint.ModelKind;
import dev.seqrec.trainer.checkpoint.Provenance;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on a tiny synthetic catalogue with a deterministic rule: item i is always followed by item i % N + 1.
 * Every model must learn it.
 */
class TrainerTest {
    private static final int ITEMS = 12;
    private static final int USERS = 120;
    private static final int HISTORY_ITEMS = 4;
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path tmp;

    static Path cyclicData(Path dir) throws Exception {
        return CyclicSequences.write(dir.resolve("cyclic.txt"), USERS, ITEMS, 9);
    }

    /**
     * A small model that learns the rule in seconds. It reads the last {@value #HISTORY_ITEMS} items of a history, so
     * that every test history (4 to 7 items) looks like histories it trained on: with all of them (up to 10) the
     * longest users' test histories were two items longer than any training prefix, and HR@1 then measured how a model
     * guesses positions it never trained on (MCLRec 0.90-1.00 over seeds 1-10) more than whether it learned the rule
     * (1.00 at every seed from 1 to 10, for each model, with 4).
     */
    static TrainingOptions fast(ModelKind model, int epochs) {
        TrainingOptions d = TrainingOptions.defaults(model, DatasetPreset.BEAUTY);
        // beta is MCLRec's alone: the other models refuse any but 0
        ObjectiveWeights objective = model == ModelKind.SASREC ? d.objective()
                : new ObjectiveWeights(0.1, model == ModelKind.MCLREC ? 0.1 : 0, 1.0, 0.1, true, false);
        return TrainingOptions.builder(model, DatasetPreset.BEAUTY).epochs(epochs).batchSize(64).learningRate(1e-2)
                .layers(1).innerSize(64).maxLength(HISTORY_ITEMS).hiddenDropout(0.1).attentionDropout(0.1)
                .objective(objective).patience(epochs).seed(7).threads(2).build();
    }

    /** Saves {@code last} again with its provenance changed, as another build or version would have written it. */
    private static void rewriteProvenance(Path last, UnaryOperator<Provenance> change) throws IOException {
        Checkpoint c = Checkpoint.load(last);
        new Checkpoint(c.kind(), c.config(), c.weights(), c.items(), c.itemCounts(), change.apply(c.provenance()),
                c.trainingCounters(), c.trainingState()).save(last);
    }

    /** Trains, then evaluates the kept model's test HR@1. */
    private double hitRateAt1(ModelKind model, int epochs) throws Exception {
        return hitRateAt1(fast(model, epochs), model.label());
    }

    private double hitRateAt1(TrainingOptions options, String run) throws Exception {
        Path data = cyclicData(tmp);
        Path out = tmp.resolve(run);
        new Trainer(options, data, out, false, QUIET, false).run();
        SequenceDataset dataset = DatasetReader.read(data);
        EvaluationResult test = new FullRankingEvaluator(new EvaluationOptions(List.of(1), false, false)).evaluate(
                "cyclic", new LeaveOneOutSplit().cases(dataset, Split.TEST), Checkpoint.load(out).scorerFor(dataset, "t"));
        return test.metric("hr@1");
    }

    @Test
    void sasrecLearnsADeterministicNextItemRule() throws Exception {
        double hr = hitRateAt1(ModelKind.SASREC, 12);
        assertTrue(hr > 0.9, "HR@1 " + hr);
    }

    @Test
    void cl4srecLearnsADeterministicNextItemRule() throws Exception {
        double hr = hitRateAt1(ModelKind.CL4SREC, 20);
        assertTrue(hr > 0.9, "HR@1 " + hr);
    }

    @Test
    void mclrecLearnsADeterministicNextItemRule() throws Exception {
        double hr = hitRateAt1(ModelKind.MCLREC, 16);
        assertTrue(hr > 0.9, "HR@1 " + hr);
    }

    @Test
    void jointMclrecLearnsADeterministicNextItemRule() throws Exception {
        TrainingOptions alternating = fast(ModelKind.MCLREC, 16);
        ObjectiveWeights w = alternating.objective();
        // length buckets, as when this test was written: joint training is the one model that still missed the rule
        // (HR@1 0.82-0.87 at 2 of seeds 1-10) when trained for 8 epochs instead of 16
        TrainingOptions joint = alternating.toBuilder().objective(new ObjectiveWeights(w.lambda(), w.beta(),
                w.temperature(), w.regularizerWeight(), w.useRegularizer(), true)).batching(Batching.LENGTH_BUCKETS)
                .bucketBatches(4).build();
        double hr = hitRateAt1(joint, "mclrec-j");
        assertTrue(hr > 0.9, "HR@1 " + hr);
    }

    @Test
    void resumingAfterAnEpochGivesTheSameBitsAsAnUninterruptedRun() throws Exception {
        Path data = cyclicData(tmp);
        for (ModelKind kind : List.of(ModelKind.SASREC, ModelKind.CL4SREC, ModelKind.MCLREC)) {
            Path straight = tmp.resolve(kind.label() + "-straight");
            Path resumed = tmp.resolve(kind.label() + "-resumed");
            // the uninterrupted run first: its kernels start interpreted, the resumed run's start JIT-compiled
            new Trainer(fast(kind, 3), data, straight, false, QUIET, false).run();
            new Trainer(fast(kind, 1), data, resumed, false, QUIET, false).run();
            new Trainer(fast(kind, 3), data, resumed, true, QUIET, false).run();
            Checkpoint resumedLast = Checkpoint.load(resumed.resolve(Trainer.LAST));
            assertEquals(3, ((Number) resumedLast.trainingCounters().get("epoch")).intValue());
            assertSameBits(Checkpoint.load(straight.resolve(Trainer.LAST)), resumedLast, kind.label());
        }
    }

    @Test
    void twoRunsWithTheSameSeedGiveTheSameBits() throws Exception {
        Path data = cyclicData(tmp);
        new Trainer(fast(ModelKind.MCLREC, 3), data, tmp.resolve("first"), false, QUIET, false).run();
        new Trainer(fast(ModelKind.MCLREC, 3), data, tmp.resolve("second"), false, QUIET, false).run();
        assertSameBits(Checkpoint.load(tmp.resolve("first").resolve(Trainer.LAST)),
                Checkpoint.load(tmp.resolve("second").resolve(Trainer.LAST)), "mclrec");
    }

    /** The same weights and optimiser (and MCLRec augmenter) state, bit for bit. */
    private static void assertSameBits(Checkpoint expected, Checkpoint actual, String run) {
        expected.weights().tensors().forEach((name, t) -> assertArrayEquals(t.ravel().toFloatVector(),
                actual.weights().tensors().get(name).ravel().toFloatVector(), run + " " + name));
        expected.trainingState().forEach((name, t) -> assertArrayEquals(t.ravel().toDoubleVector(),
                actual.trainingState().get(name).ravel().toDoubleVector(), run + " " + name));
    }

    @Test
    void aRunWhoseLastCheckpointACrashLeftAsideResumes() throws Exception {
        Path data = cyclicData(tmp);
        Path run = tmp.resolve("run");
        new Trainer(fast(ModelKind.SASREC, 1), data, run, false, QUIET, false).run();
        Files.move(run.resolve(Trainer.LAST), run.resolve(".last.old-123")); // killed between a save's two renames
        new Trainer(fast(ModelKind.SASREC, 2), data, run, true, QUIET, false).run();
        assertEquals(2, ((Number) Checkpoint.load(run.resolve(Trainer.LAST)).trainingCounters().get("epoch")).intValue());
        assertTrue(Files.notExists(run.resolve(".last.old-123")), "the copy left aside was put back, then replaced");
    }

    @Test
    void aBetterEpochRemovesTheOldBestsTestResultsWhenTheTimeLimitThenStopsTheRun() throws Exception {
        Path data = cyclicData(tmp);
        Path run = tmp.resolve("run");
        new Trainer(fast(ModelKind.SASREC, 1), data, run, false, QUIET, false).run();
        assertTrue(Files.isRegularFile(run.resolve(Trainer.TEST_JSON)));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LongSupplier anHourPassesWithEpoch2 = () ->
                log.toString(StandardCharsets.UTF_8).contains("epoch 2:") ? Duration.ofHours(1).toNanos() : 0;
        TrainingOptions threeEpochsInHalfAnHour = fast(ModelKind.SASREC, 3).toBuilder().timeLimit(Duration.ofMinutes(30))
                .build();
        Trainer.Report report = new Trainer(threeEpochsInHalfAnHour, data, run, true,
                new PrintStream(log, true, StandardCharsets.UTF_8), false, anHourPassesWithEpoch2).run();
        assertTrue(report.stopReason().startsWith("time limit after epoch 2"), report.stopReason());
        assertEquals(2, report.bestEpoch(), "the second epoch improved on the first");
        assertTrue(Files.notExists(run.resolve(Trainer.TEST_JSON)), "test results of epoch 1's model left beside epoch 2's");
    }

    @Test
    void aTimeLimitHitBeforeAnyEpochCompletesSaysNothingWasSavedToResume() throws Exception {
        Path data = cyclicData(tmp);
        AtomicLong readings = new AtomicLong();
        LongSupplier anHourPerReading = () -> Duration.ofHours(readings.getAndIncrement()).toNanos();
        TrainingOptions oneMinute = fast(ModelKind.SASREC, 1).toBuilder().timeLimit(Duration.ofMinutes(1)).build();
        Trainer.Report report = new Trainer(oneMinute, data, tmp.resolve("run"), false, QUIET, false, anHourPerReading)
                .run();
        assertTrue(report.stopReason().contains("nothing was saved; rerun without --resume"), report.stopReason());
    }

    @Test
    void resumingARunThatRecordedAValueItsModelDoesNotReadIsAllowed() throws Exception {
        Path data = cyclicData(tmp);
        Path last = tmp.resolve("run").resolve(Trainer.LAST);
        new Trainer(fast(ModelKind.SASREC, 1), data, tmp.resolve("run"), false, QUIET, false).run();
        rewriteProvenance(last, p -> { // as a build that still gave SASRec the preset's beta recorded it
            Map<String, Object> options = new LinkedHashMap<>(p.options());
            @SuppressWarnings("unchecked")
            Map<String, Object> objective = new LinkedHashMap<>((Map<String, Object>) options.get("objective"));
            objective.put("beta", DatasetPreset.BEAUTY.beta());
            options.put("objective", objective);
            return new Provenance(p.source(), p.dataFile(), p.dataSha256(), options, p.epoch(), p.metrics(),
                    p.seqrecVersion(), p.nd4jVersion(), p.created());
        });
        new Trainer(fast(ModelKind.SASREC, 2), data, tmp.resolve("run"), true, QUIET, false).run();
        assertEquals(2, ((Number) Checkpoint.load(last).trainingCounters().get("epoch")).intValue());
    }

    @Test
    void resumingWithOtherTrainingOptionsIsRefusedNamingThem() throws Exception {
        Path data = cyclicData(tmp);
        new Trainer(fast(ModelKind.SASREC, 1), data, tmp.resolve("run"), false, QUIET, false).run();
        TrainingOptions changed = fast(ModelKind.SASREC, 2).toBuilder().seed(8).learningRate(5e-3).build();
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> new Trainer(changed, data, tmp.resolve("run"), true, QUIET, false).run());
        assertTrue(e.getMessage().contains("seed: 7 -> 8"), e.getMessage());
        assertTrue(e.getMessage().contains("learningRate: 0.01 -> 0.005"), e.getMessage());
    }

    @Test
    void resumingWithAnotherValidationMetricIsRefused() throws Exception {
        Path data = cyclicData(tmp);
        new Trainer(fast(ModelKind.SASREC, 1), data, tmp.resolve("run"), false, QUIET, false).run();
        TrainingOptions changed = fast(ModelKind.SASREC, 2).toBuilder().validMetric("hr@20").build();
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> new Trainer(changed, data, tmp.resolve("run"), true, QUIET, false).run());
        assertTrue(e.getMessage().contains("validMetric: mrr@10 -> hr@20"), e.getMessage());
    }

    /** The kept epoch is the one with the best rounded value of --valid-metric, which the report names. */
    @Test
    void theValidationMetricChoosesTheKeptEpoch() throws Exception {
        Path data = cyclicData(tmp);
        Path run = tmp.resolve("run");
        Trainer.Report report = new Trainer(fast(ModelKind.SASREC, 3).toBuilder().validMetric("ndcg@50").build(), data,
                run, false, QUIET, false).run();
        assertEquals("ndcg@50", report.validMetric());
        List<String> curve = Files.readAllLines(run.resolve(Trainer.CURVE_CSV));
        int column = List.of(curve.get(0).split(",")).indexOf("valid_ndcg@50");
        List<Double> byEpoch = curve.stream().skip(1)
                .map(line -> Math.round(Double.parseDouble(line.split(",")[column]) * 1e4) / 1e4).toList();
        int kept = 0;
        for (int e = 1; e < byEpoch.size(); e++) {
            kept = byEpoch.get(e) > byEpoch.get(kept) ? e : kept;
        }
        assertEquals(kept + 1, report.bestEpoch(), byEpoch.toString());
        assertEquals(byEpoch.get(kept), report.bestValidScore());
        assertEquals(kept + 1, Checkpoint.load(run.resolve(Trainer.BEST)).provenance().epoch());
    }

    @Test
    void resumingWithMoreEpochsOnAnotherThreadCountIsAllowed() throws Exception {
        Path data = cyclicData(tmp);
        new Trainer(fast(ModelKind.SASREC, 1), data, tmp.resolve("run"), false, QUIET, false).run();
        new Trainer(fast(ModelKind.SASREC, 2).toBuilder().threads(1).build(), data, tmp.resolve("run"), true, QUIET,
                false).run();
        Checkpoint last = Checkpoint.load(tmp.resolve("run").resolve(Trainer.LAST));
        assertEquals(2, ((Number) last.trainingCounters().get("epoch")).intValue());
    }

    @Test
    void resumingOnAnotherThreadCountSaysTheResultCanDiffer() throws Exception {
        // another thread count rounds ND4J's sums differently: the review measured 7e-6 on the weights after an epoch
        Path data = cyclicData(tmp);
        new Trainer(fast(ModelKind.SASREC, 1), data, tmp.resolve("run"), false, QUIET, false).run();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new Trainer(fast(ModelKind.SASREC, 2).toBuilder().threads(1).build(), data, tmp.resolve("run"), true,
                new PrintStream(log, true, StandardCharsets.UTF_8), false).run();
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("note: resuming epochs trained with 2 compute threads "
                + "with 1; float sums round differently, so the result can differ from an uninterrupted run's"),
                log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void resumingOnTheSameThreadCountPrintsNoNote() throws Exception {
        Path data = cyclicData(tmp);
        new Trainer(fast(ModelKind.SASREC, 1), data, tmp.resolve("run"), false, QUIET, false).run();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new Trainer(fast(ModelKind.SASREC, 2), data, tmp.resolve("run"), true,
                new PrintStream(log, true, StandardCharsets.UTF_8), false).run();
        assertFalse(log.toString(StandardCharsets.UTF_8).contains("note:"), log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theThreadCountARunLastTrainedWithIsRecordedForItsResume() throws Exception {
        Path data = cyclicData(tmp);
        assertEquals(OptionalInt.empty(), Trainer.recordedThreads(tmp.resolve("run")), "no run yet");
        new Trainer(fast(ModelKind.SASREC, 1).toBuilder().threads(3).build(), data, tmp.resolve("run"), false, QUIET,
                false).run();
        assertEquals(OptionalInt.of(3), Trainer.recordedThreads(tmp.resolve("run")));
    }

    @Test
    void resumingWithAnotherEncoderOptionNamesIt() throws Exception {
        Path data = cyclicData(tmp);
        new Trainer(fast(ModelKind.SASREC, 1), data, tmp.resolve("run"), false, QUIET, false).run();
        TrainingOptions longer = fast(ModelKind.SASREC, 2).toBuilder().maxLength(12).layers(2).build();
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> new Trainer(longer, data, tmp.resolve("run"), true, QUIET, false).run());
        assertTrue(e.getMessage().contains("was trained with other options (layers: 1 -> 2, maxLength: 4 -> 12)"),
                e.getMessage());
    }

    @Test
    void resumingAnEncoderThatDiffersInWhatTheDataGivesNamesTheField() throws Exception {
        Path data = cyclicData(tmp);
        Path last = tmp.resolve("run").resolve(Trainer.LAST);
        new Trainer(fast(ModelKind.SASREC, 1), data, tmp.resolve("run"), false, QUIET, false).run();
        rewriteProvenance(last, p -> { // as if its options had not recorded the max length
            Map<String, Object> options = new LinkedHashMap<>(p.options());
            options.remove("maxLength");
            return new Provenance(p.source(), p.dataFile(), p.dataSha256(), options, p.epoch(), p.metrics(),
                    p.seqrecVersion(), p.nd4jVersion(), p.created());
        });
        TrainingOptions longer = fast(ModelKind.SASREC, 2).toBuilder().maxLength(12).build();
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> new Trainer(longer, data, tmp.resolve("run"), true, QUIET, false).run());
        assertTrue(e.getMessage().contains("(maxLength: 4 -> 12)"), e.getMessage());
    }

    @Test
    void resumingFromACheckpointWithoutTrainingCountersSaysItIsNotATrainingRun() throws Exception {
        Path data = cyclicData(tmp);
        Path run = tmp.resolve("run");
        new Trainer(fast(ModelKind.SASREC, 1), data, run, false, QUIET, false).run();
        // last/ replaced by a model checkpoint, as import-weights --out RUN/last would write
        Checkpoint best = Checkpoint.load(run.resolve(Trainer.BEST));
        Checkpoint.of(best.kind(), best.config(), best.weights(), best.items(), best.itemCounts(), best.provenance())
                .save(run.resolve(Trainer.LAST));
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> new Trainer(fast(ModelKind.SASREC, 2), data, run, true, QUIET, false).run());
        assertTrue(e.getMessage().contains("is not a training run's last epoch: it holds no training counters (epoch, "),
                e.getMessage());
    }

    @Test
    void resumingARunThatRecordedBucketBatchesUnderUniformBatchingIsAllowed() throws Exception {
        Path data = cyclicData(tmp);
        Path last = tmp.resolve("run").resolve(Trainer.LAST);
        new Trainer(fast(ModelKind.SASREC, 1), data, tmp.resolve("run"), false, QUIET, false).run();
        rewriteProvenance(last, p -> { // as a build that accepted --bucket-batches 4 with uniform batching recorded it
            Map<String, Object> options = new LinkedHashMap<>(p.options());
            options.put("bucketBatches", 4);
            return new Provenance(p.source(), p.dataFile(), p.dataSha256(), options, p.epoch(), p.metrics(),
                    p.seqrecVersion(), p.nd4jVersion(), p.created());
        });
        new Trainer(fast(ModelKind.SASREC, 2), data, tmp.resolve("run"), true, QUIET, false).run();
        assertEquals(2, ((Number) Checkpoint.load(last).trainingCounters().get("epoch")).intValue());
    }

    @Test
    void anOutThatIsAFileIsRefusedBeforeAnyTraining() throws Exception {
        Path data = cyclicData(tmp);
        Path file = Files.writeString(tmp.resolve("outfile"), "hi");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trainer(
                fast(ModelKind.SASREC, 1), data, file, false, new PrintStream(log, true, StandardCharsets.UTF_8), false)
                .run());
        assertTrue(e.getMessage().contains(file + " is not a directory"), e.getMessage());
        assertEquals("", log.toString(StandardCharsets.UTF_8), "nothing trained");
        assertEquals("hi", Files.readString(file));
    }

    @Test
    void aRunRefusesAnOutThatAnotherProcessIsTrainingIn() throws Exception {
        Path data = cyclicData(tmp);
        Path run = Files.createDirectories(tmp.resolve("run"));
        StringBuilder said = new StringBuilder();
        Process other = LockHolder.start(run.resolve(RunLock.FILE), said);
        try {
            assertEquals("locked", said.toString());
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            IOException e = assertThrows(IOException.class, () -> new Trainer(fast(ModelKind.SASREC, 1), data, run,
                    false, new PrintStream(log, true, StandardCharsets.UTF_8), false).run());
            assertEquals(run + " is in use by another training run (it holds " + run.toRealPath().resolve(RunLock.FILE)
                    + "); wait for that run to end, or choose another --out", e.getMessage());
            assertEquals("", log.toString(StandardCharsets.UTF_8), "refused at once, before reading the data");
            assertFalse(Checkpoint.isSaved(run.resolve(Trainer.LAST)));
        } finally {
            other.getOutputStream().close();
            other.waitFor();
        }
    }

    @Test
    void aRunRefusesAnOutThatAnotherRunInThisProcessHolds() throws Exception {
        Path data = cyclicData(tmp);
        Path run = Files.createDirectories(tmp.resolve("run"));
        try (DirectoryLock held = RunLock.acquire(run)) {
            IOException e = assertThrows(IOException.class,
                    () -> new Trainer(fast(ModelKind.SASREC, 1), data, run, false, QUIET, false).run());
            assertTrue(e.getMessage().startsWith(run + " is in use by another training run"), e.getMessage());
        }
    }

    @Test
    void aRunHoldsItsOutUntilItEndsAndThenReleasesIt() throws Exception {
        Path data = cyclicData(tmp);
        Path run = tmp.resolve("run");
        StringBuilder seenDuringTheRun = new StringBuilder();
        AtomicLong readings = new AtomicLong();
        LongSupplier clock = () -> { // read as the run starts, then as its first epoch starts: try the lock from
            if (readings.incrementAndGet() == 2) { // another process then
                try {
                    StringBuilder said = new StringBuilder();
                    Process probe = LockHolder.start(run.resolve(RunLock.FILE), said);
                    probe.getOutputStream().close();
                    probe.waitFor();
                    seenDuringTheRun.append(said);
                } catch (Exception e) {
                    seenDuringTheRun.append(e);
                }
            }
            return System.nanoTime();
        };
        new Trainer(fast(ModelKind.SASREC, 1), data, run, false, QUIET, false, clock).run();
        assertEquals("busy", seenDuringTheRun.toString());
        StringBuilder said = new StringBuilder();
        Process after = LockHolder.start(run.resolve(RunLock.FILE), said);
        after.getOutputStream().close();
        after.waitFor();
        assertEquals("locked", said.toString(), "released when the run ended");
    }

    @Test
    void resumingEpochsWrittenByAnotherBuildSaysSo() throws Exception {
        Path data = cyclicData(tmp);
        Path last = tmp.resolve("run").resolve(Trainer.LAST);
        new Trainer(fast(ModelKind.SASREC, 1), data, tmp.resolve("run"), false, QUIET, false).run();
        rewriteProvenance(last, p -> new Provenance(p.source(), p.dataFile(), p.dataSha256(), p.options(), p.epoch(),
                p.metrics(), "0.0.1+0123456789ab", p.nd4jVersion(), p.created()));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new Trainer(fast(ModelKind.SASREC, 2), data, tmp.resolve("run"), true,
                new PrintStream(log, true, StandardCharsets.UTF_8), false).run();
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("written by seqrec 0.0.1+0123456789ab"),
                log.toString(StandardCharsets.UTF_8));
    }

    /** The run as a crash between epoch 1's saves of best/ and last/ leaves it: best/ alone. */
    private Path crashedBetweenTheFirstEpochsSaves(Path data) throws Exception {
        Path run = tmp.resolve("run");
        new Trainer(fast(ModelKind.SASREC, 1), data, run, false, QUIET, false).run();
        DirectoryTree.delete(run.resolve(Trainer.LAST));
        for (String later : List.of(Trainer.CURVE_CSV, Trainer.CURVE_PNG, Trainer.LOSS_PNG, Trainer.TEST_JSON)) {
            Files.delete(run.resolve(later)); // written after last/
        }
        return run;
    }

    @Test
    void aFreshRunReplacesWhatACrashDuringTheFirstEpochsSaveLeft() throws Exception {
        Path data = cyclicData(tmp);
        Path run = crashedBetweenTheFirstEpochsSaves(data);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new Trainer(fast(ModelKind.SASREC, 2), data, run, false, new PrintStream(log, true, StandardCharsets.UTF_8),
                false).run();
        assertEquals(2, ((Number) Checkpoint.load(run.resolve(Trainer.LAST)).trainingCounters().get("epoch")).intValue());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("this run replaces it"), log.toString(StandardCharsets.UTF_8));
    }

    /** A typo in --out must not replace a test.json or curve.csv of the user's. */
    @Test
    void aFreshRunRefusesADirectoryHoldingAFileItWouldReplace() throws Exception {
        Path data = cyclicData(tmp);
        Path folder = Files.createDirectories(tmp.resolve("papers"));
        Files.writeString(folder.resolve("test.json"), "mine");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(fast(ModelKind.SASREC, 1), data, folder, false, QUIET, false).run());
        assertEquals(folder + " already holds test.json, which a new run would replace, and no run; give a new "
                + "directory as --out", e.getMessage());
        assertEquals("mine", Files.readString(folder.resolve("test.json")));
    }

    /** As `train ... --out RUN > RUN/train.log` leaves it: the shell creates the log before the run starts. */
    @Test
    void aFreshRunTrainsInADirectoryHoldingOnlyOtherFiles() throws Exception {
        Path data = cyclicData(tmp);
        Path run = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(run.resolve("train.log"), "");
        new Trainer(fast(ModelKind.SASREC, 1), data, run, false, QUIET, false).run();
        assertTrue(Files.exists(run.resolve(Trainer.TEST_JSON)));
        assertTrue(Files.exists(run.resolve("train.log")));
    }

    @Test
    void aRunThatFailsBeforeWritingAnythingLeavesNoDirectoryBehind() {
        Path run = tmp.resolve("never");
        assertThrows(IOException.class, () -> new Trainer(fast(ModelKind.SASREC, 1), tmp.resolve("missing.txt"), run,
                false, QUIET, false).run());
        assertFalse(Files.exists(run), "an empty run directory holding only its lock");
    }

    @Test
    void resumingARunWithoutALastCheckpointSaysToTrainWithoutResume() throws Exception {
        Path data = cyclicData(tmp);
        Path run = crashedBetweenTheFirstEpochsSaves(data);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> new Trainer(fast(ModelKind.SASREC, 2), data, run, true, QUIET, false).run());
        assertTrue(e.getMessage().contains("no epoch finished there; train without --resume"), e.getMessage());
    }

    @Test
    void aResumeWithNoEpochLeftRewritesTheCurveThatACrashLeftAnEpochShort() throws Exception {
        Path data = cyclicData(tmp);
        Path run = tmp.resolve("run");
        new Trainer(fast(ModelKind.SASREC, 2), data, run, false, QUIET, false).run();
        Path csv = run.resolve(Trainer.CURVE_CSV);
        List<String> full = Files.readAllLines(csv);
        Files.write(csv, full.subList(0, 2)); // a crash after epoch 2's last/ and before its curve: header and epoch 1
        new Trainer(fast(ModelKind.SASREC, 2), data, run, true, QUIET, false).run();
        assertEquals(full, Files.readAllLines(csv));
    }

    @Test
    void aTimeLimitReachedDuringAnEpochsLastBatchKeepsTheCompletedEpoch() throws Exception {
        Path data = cyclicData(tmp);
        Path run = tmp.resolve("run");
        TrainingOptions oneBatchPerEpoch = fast(ModelKind.SASREC, 2).toBuilder().batchSize(100_000)
                .timeLimit(Duration.ofMinutes(1)).build();
        AtomicLong readings = new AtomicLong();
        // the run's and the epoch's start at 0, every later reading (after the epoch's only batch) an hour on
        LongSupplier anHourPassesInTheBatch = () -> readings.getAndIncrement() < 2 ? 0 : Duration.ofHours(1).toNanos();
        Trainer.Report report = new Trainer(oneBatchPerEpoch, data, run, false, QUIET, false, anHourPassesInTheBatch)
                .run();
        assertEquals(1, report.epochs(), report.stopReason());
        assertTrue(report.stopReason().startsWith("time limit after epoch 1"), report.stopReason());
        assertEquals(1, ((Number) Checkpoint.load(run.resolve(Trainer.LAST)).trainingCounters().get("epoch")).intValue());
    }

    @Test
    void aFreshRunRefusesToOverwriteAnEarlierOne() throws Exception {
        Path data = cyclicData(tmp);
        new Trainer(fast(ModelKind.SASREC, 1), data, tmp.resolve("run"), false, QUIET, false).run();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(fast(ModelKind.SASREC, 1), data, tmp.resolve("run"), false, QUIET, false).run());
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
    }

    @Test
    void resumingWithAnotherModelIsRefused() throws Exception {
        Path data = cyclicData(tmp);
        new Trainer(fast(ModelKind.SASREC, 1), data, tmp.resolve("run"), false, QUIET, false).run();
        Exception e = assertThrows(Exception.class,
                () -> new Trainer(fast(ModelKind.CL4SREC, 2), data, tmp.resolve("run"), true, QUIET, false).run());
        assertTrue(e.getMessage().contains("sasrec"), e.getMessage());
    }

    @Test
    void dataTooShortForTrainingIsAClearError() throws Exception {
        Path file = tmp.resolve("short.txt");
        Files.writeString(file, "1 1 2 3\n2 2 3 1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(fast(ModelKind.SASREC, 1), file, tmp.resolve("run"), false, QUIET, false).run());
        assertTrue(e.getMessage().contains("training samples"), e.getMessage());
    }

    @Test
    void invalidOptionsNameTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fast(ModelKind.SASREC, 0));
        assertTrue(e.getMessage().contains("--epochs"), e.getMessage());
    }

    @Test
    void aTimeLimitThatIsNotPositiveIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fast(ModelKind.SASREC, 1).toBuilder().timeLimit(Duration.ofMinutes(-5)));
        assertTrue(e.getMessage().contains("--time-limit must be positive, got -5m"), e.getMessage());
    }

    @Test
    void aTimeLimitRoundsUpToWholeSeconds() {
        assertEquals(2, fast(ModelKind.SASREC, 1).toBuilder().timeLimit(Duration.ofMillis(1500)).build()
                .timeLimitSeconds());
    }

    @Test
    void aBestCheckpointAheadOfTheRunsCountersIsTestedAndNamedWhenNoEpochReplaysIt() throws Exception {
        Path data = cyclicData(tmp);
        new Trainer(fast(ModelKind.SASREC, 2), data, tmp.resolve("ahead"), false, QUIET, false).run();
        Checkpoint bestOfTwo = Checkpoint.load(tmp.resolve("ahead").resolve(Trainer.BEST));
        assertEquals(2, bestOfTwo.provenance().epoch(), "precondition: the second epoch improves");
        // a crash after saving epoch 2's best/ and before its last/: last/ still says epoch 1
        new Trainer(fast(ModelKind.SASREC, 1), data, tmp.resolve("crashed"), false, QUIET, false).run();
        bestOfTwo.save(tmp.resolve("crashed").resolve(Trainer.BEST));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Trainer.Report report = new Trainer(fast(ModelKind.SASREC, 1), data, tmp.resolve("crashed"), true,
                new PrintStream(log, true, StandardCharsets.UTF_8), false).run();
        assertEquals(2, report.bestEpoch());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("holds epoch 2 while the run's counters name epoch 1"),
                log.toString(StandardCharsets.UTF_8));
    }
}
