package dev.seqrec.trainer.training;

import com.sun.management.OperatingSystemMXBean;
import dev.seqrec.eval.data.SequenceDataset;
import dev.seqrec.eval.split.EvaluationCases;
import dev.seqrec.eval.split.LeaveOneOutSplit;
import dev.seqrec.eval.split.Split;
import dev.seqrec.eval.split.TrainingSamples;
import dev.seqrec.report.ProgressBar;
import dev.seqrec.trainer.checkpoint.ModelKind;
import dev.seqrec.trainer.model.Augmenters;
import dev.seqrec.trainer.model.EncoderConfig;
import dev.seqrec.trainer.model.EncoderScorer;
import dev.seqrec.trainer.model.EncoderWeights;
import dev.seqrec.trainer.model.SequenceBatch;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measures, in one process, this machine's single-precision matrix-product rate on the model's own shapes and the
 * training throughput on real batches, and compares them through an analytic FLOP count of each step.
 */
public final class TrainingBenchmark {
    private static final double GIGA = 1e9;
    private static final OperatingSystemMXBean PROCESS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    /** Steps run before timing starts (JIT, allocator). */
    public static final int WARMUP_STEPS = 3;
    /** Batches the data must make: the warm-up steps and at least one timed step. */
    public static final int MIN_BATCHES = WARMUP_STEPS + 1;
    /** Histories scored to estimate the validation pass. */
    public static final int VALIDATION_SAMPLE = 2048;

    /**
     * @param matmulGflops       GFLOP/s per gemm shape ("MxK x KxN")
     * @param matmulCeiling      the rate the step is compared against: the best shape, timed once after every step
     *                           so that it sees the same machine load as the steps
     * @param steps              timed steps
     * @param msPerStep          mean wall time per step
     * @param cpuMsPerStep       mean CPU time of the whole process (all threads, native ones included) per step: a
     *                           figure other jobs on a shared machine disturb much less than the wall time
     * @param samplesPerSecond   training samples per second
     * @param gflopPerStep       analytic FLOPs per step (mean), in GFLOP
     * @param achievedGflops     gflopPerStep / seconds per step
     * @param stepsPerEpoch      batches in one epoch
     * @param validationSeconds  estimated time of one validation pass
     * @param epochSeconds       estimated epoch time: steps x ms/step + validation
     */
    public record Result(Map<String, Double> matmulGflops, double matmulCeiling, int steps, double msPerStep,
                         double cpuMsPerStep, double samplesPerSecond, double gflopPerStep, double achievedGflops, long stepsPerEpoch,
                         double validationSeconds, double epochSeconds) {
        public double ratio() {
            return achievedGflops / matmulCeiling;
        }
    }

    private TrainingBenchmark() {
    }

    /**
     * @param steps           timed steps; the data's batches beyond the warm-up ones bound them
     * @param secondsPerShape time spent on each gemm shape: finite and positive
     * @throws IllegalArgumentException when no timed step would be left, which would make every figure NaN, or
     *                                  secondsPerShape is not finite and positive (NaN timed nothing, Infinity never
     *                                  ended)
     */
    public static Result run(SequenceDataset data, TrainingOptions options, int steps, double secondsPerShape) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (!(Double.isFinite(secondsPerShape) && secondsPerShape > 0)) {
            throw new IllegalArgumentException("seconds per gemm shape must be finite and > 0, got " + secondsPerShape);
        }
        EncoderConfig config = options.encoderConfig(data.numItems());
        LeaveOneOutSplit split = new LeaveOneOutSplit(options.maxLength());
        TrainingSamples samples = split.trainingSamples(data);
        Random random = new Random(options.seed());
        List<int[]> batches = EpochPlan.batches(samples.histories(), options.batchSize(), options.batching(),
                options.bucketBatches(), random);
        if (batches.size() < MIN_BATCHES) {
            throw new IllegalArgumentException("the benchmark needs at least " + MIN_BATCHES + " batches ("
                    + WARMUP_STEPS + " warm-up steps, then a timed one); the data's " + samples.size()
                    + " training samples make " + batches.size() + " at batch size " + options.batchSize());
        }
        double meanTokens = 0;
        for (int[] h : samples.histories()) {
            meanTokens += Math.min(h.length, options.maxLength());
        }
        int typicalRows = (int) Math.round(options.batchSize() * meanTokens / samples.size());
        Map<String, Double> gemm = matmulRates(config, options.batchSize(), typicalRows, secondsPerShape);
        int[] best = gemmShapes(config, options.batchSize(), typicalRows)[bestShape(gemm)];
        INDArray gemmA = Nd4j.rand(DataType.FLOAT, best[0], best[1]);
        INDArray gemmB = Nd4j.rand(DataType.FLOAT, best[1], best[2]);
        INDArray gemmOut = Nd4j.create(DataType.FLOAT, best[0], best[2]);
        long gemmNanos = 0;

        EncoderWeights weights = EncoderWeights.initialise(config, options.seed(), DataType.FLOAT);
        Augmenters augmenters = options.model() == ModelKind.MCLREC
                ? Augmenters.initialise(config.hiddenSize(), options.seed() + 1, DataType.FLOAT) : null;
        Adam.AdamConfig adam = new Adam.AdamConfig(options.learningRate(), Adam.AdamConfig.DEFAULT_BETA1,
                Adam.AdamConfig.DEFAULT_BETA2, Adam.AdamConfig.DEFAULT_EPSILON);
        EncoderObjective objective = new EncoderObjective(options.model(), config, weights, options.objective(), augmenters);
        TrainingStep step = new TrainingStep(options.model(), options.maxLength(), objective,
                new SequenceAugmentation(options.cropRatio(), options.maskRatio(), options.reorderRatio()),
                new Adam(adam, weights.tensors()), augmenters == null ? null : new Adam(adam, augmenters.tensors()));
        long nanos = 0;
        long cpuNanos = 0;
        double flops = 0;
        long trained = 0;
        int total = (int) Math.min(batches.size(), (long) WARMUP_STEPS + steps); // in long: steps may be Integer.MAX_VALUE
        // one more warm-up step on the timed batch with the most positions, so that the step workspace (whose arrays
        // grow with the positions) has reached its final size
        List<int[]> schedule = new ArrayList<>(batches.subList(0, Math.min(WARMUP_STEPS, total)));
        List<int[]> timedBatches = batches.subList(schedule.size(), total);
        if (!timedBatches.isEmpty()) {
            schedule.add(mostPositions(timedBatches, samples, options.maxLength()));
        }
        int warmup = schedule.size();
        schedule.addAll(timedBatches);
        ProgressBar bar = ProgressBar.start("steps (" + warmup + " warm-up)", schedule.size());
        for (int s = 0; s < schedule.size(); s++) {
            int[] batch = schedule.get(s);
            int[][] histories = new int[batch.length][];
            int[] targets = new int[batch.length];
            for (int i = 0; i < batch.length; i++) {
                histories[i] = samples.histories()[batch[i]];
                targets[i] = samples.targets()[batch[i]];
            }
            long cpuStart = PROCESS.getProcessCpuTime();
            long start = System.nanoTime();
            TrainingStep.Work work = step.run(histories, targets, random);
            long elapsed = System.nanoTime() - start;
            long cpuElapsed = PROCESS.getProcessCpuTime() - cpuStart;
            long gemmStart = System.nanoTime();
            multiply(gemmA, gemmB, gemmOut);
            long gemmElapsed = System.nanoTime() - gemmStart;
            if (s >= warmup) {
                gemmNanos += gemmElapsed;
                nanos += elapsed;
                cpuNanos += cpuElapsed;
                trained += batch.length;
                flops += stepFlops(config, work, batch.length);
            }
            bar.step();
        }
        bar.close();
        int timed = schedule.size() - warmup;
        // flops per nanosecond = GFLOP/s
        double ceiling = timed * 2.0 * best[0] * best[1] * best[2] / gemmNanos;
        double seconds = nanos / GIGA;
        double msPerStep = 1e3 * seconds / timed;
        long stepsPerEpoch = batches.size();
        double validation = validationSeconds(data, split, config, weights);
        return new Result(gemm, ceiling, timed, msPerStep, cpuNanos / 1e6 / timed, trained / seconds, flops / timed / GIGA,
                flops / seconds / GIGA, stepsPerEpoch, validation, stepsPerEpoch * msPerStep / 1e3 + validation);
    }

    /**
     * Forward FLOPs of the encoder on one batch, as it runs it (its n positions packed, the last block's queries for
     * the last rows only): per block but the last 8 n d^2 (Q, K, V, O) + 4 n d inner (FFN) + 4 d per (query, visible
     * key) pair of every position (attention: scores and context, as {@code MaskedAttention} computes them); the last
     * block 4 n d^2 (K, V) + 4 B d^2 (Q, O) + 4 B d inner + 4 d per pair of the last positions.
     */
    static double encoderForwardFlops(EncoderConfig c, SequenceBatch batch) {
        double d = c.hiddenSize();
        double n = batch.positions();
        double b = batch.size();
        return (c.layers() - 1) * (8 * n * d * d + 4 * n * d * c.innerSize() + 4 * d * batch.attendedPairs(false))
                + 4 * n * d * d + 4 * b * d * d + 4 * b * d * c.innerSize() + 4 * d * batch.attendedPairs(true);
    }

    /** Trained encoder runs cost forward + backward (about 3 forwards); each L_rec costs 3 gemms over N + 1 items. */
    static double stepFlops(EncoderConfig c, TrainingStep.Work work, int batchSize) {
        double flops = 0;
        double softmax = 3 * 2.0 * batchSize * c.hiddenSize() * (c.numItems() + 1);
        for (SequenceBatch b : work.trainedBatches()) {
            flops += 3 * encoderForwardFlops(c, b) + softmax;
        }
        for (SequenceBatch b : work.forwardOnlyBatches()) {
            flops += encoderForwardFlops(c, b);
        }
        return flops;
    }

    /** The step's gemm shapes {M, K, N}: the linear layers at a typical batch, and the output layer's three. */
    static int[][] gemmShapes(EncoderConfig c, int batchSize, int typicalRows) {
        int d = c.hiddenSize();
        return new int[][] {{typicalRows, d, d}, {typicalRows, d, c.innerSize()}, {batchSize, d, c.numItems() + 1},
                {c.numItems() + 1, batchSize, d}};
    }

    /** out = a b through BLAS without operand copies, as the encoder multiplies. */
    private static void multiply(INDArray a, INDArray b, INDArray out) {
        Nd4j.gemm(a, b, out, false, false, 1.0, 0.0);
    }

    private static int[] mostPositions(List<int[]> batches, TrainingSamples samples, int maxLength) {
        int[] most = batches.get(0);
        long mostPositions = -1;
        for (int[] batch : batches) {
            long positions = 0;
            for (int i : batch) {
                positions += Math.min(samples.histories()[i].length, maxLength);
            }
            if (positions > mostPositions) {
                mostPositions = positions;
                most = batch;
            }
        }
        return most;
    }

    private static int bestShape(Map<String, Double> rates) {
        int best = 0;
        int i = 0;
        double top = -1;
        for (double r : rates.values()) {
            if (r > top) {
                top = r;
                best = i;
            }
            i++;
        }
        return best;
    }

    /** GFLOP/s of ND4J gemm on each of {@link #gemmShapes}, each repeated for {@code secondsPerShape}. */
    static Map<String, Double> matmulRates(EncoderConfig c, int batchSize, int typicalRows, double secondsPerShape) {
        Map<String, Double> rates = new LinkedHashMap<>();
        for (int[] s : gemmShapes(c, batchSize, typicalRows)) {
            INDArray a = Nd4j.rand(DataType.FLOAT, s[0], s[1]);
            INDArray b = Nd4j.rand(DataType.FLOAT, s[1], s[2]);
            INDArray out = Nd4j.create(DataType.FLOAT, s[0], s[2]);
            multiply(a, b, out);
            long reps = 0;
            long start = System.nanoTime();
            long budget = (long) (secondsPerShape * GIGA);
            while (System.nanoTime() - start < budget) {
                multiply(a, b, out);
                reps++;
            }
            double seconds = (System.nanoTime() - start) / GIGA;
            rates.put(s[0] + "x" + s[1] + " x " + s[1] + "x" + s[2], reps * 2.0 * s[0] * s[1] * s[2] / seconds / GIGA);
        }
        return rates;
    }

    private static double validationSeconds(SequenceDataset data, LeaveOneOutSplit split, EncoderConfig config,
                                            EncoderWeights weights) {
        EvaluationCases cases = split.cases(data, Split.VALID);
        int n = Math.min(VALIDATION_SAMPLE, cases.size());
        int[][] histories = Arrays.copyOf(cases.histories(), n);
        float[][] scores = new float[n][config.numItems() + 1];
        EncoderScorer scorer = new EncoderScorer("bench", config, weights);
        scorer.score(histories, scores); // unmeasured: its first call allocates the workspace and compiles the loops
        long start = System.nanoTime();
        scorer.score(histories, scores);
        double seconds = (System.nanoTime() - start) / GIGA;
        return seconds * cases.size() / n;
    }
}
