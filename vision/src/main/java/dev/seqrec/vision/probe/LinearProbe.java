package dev.seqrec.vision.probe;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Random;
import java.util.function.IntConsumer;

/**
 * Multinomial logistic regression on frozen features: features standardised with the train split's mean and
 * standard deviation, softmax cross-entropy with an L2 penalty, mini-batch Adam with a cosine-decayed step.
 * Plain Java arithmetic: the model is small, and thousands of tiny native calls cost more than the work.
 */
public final class LinearProbe {

    private static final double MIN_STD = 1e-6;
    private static final double ADAM_BETA1 = 0.9;
    private static final double ADAM_BETA2 = 0.999;
    private static final double ADAM_EPSILON = 1e-8;

    private final ProbeConfig config;
    private int dims;
    private int classes;
    private float[] mean;
    private float[] scale;
    /** [dims + 1][classes]; the last row is the bias. */
    private double[] weights;

    public LinearProbe(ProbeConfig config) {
        this.config = config;
    }

    /** Trains on {@code features} [n, d]; {@code progress} receives rows done per mini-batch. */
    public LinearProbe fit(INDArray features, int[] labels, int classCount, IntConsumer progress) {
        if (features.rows() != labels.length) {
            throw new IllegalArgumentException(features.rows() + " feature rows but " + labels.length + " labels");
        }
        int n = labels.length;
        dims = (int) features.columns();
        classes = classCount;
        float[] x = features.castTo(DataType.FLOAT).dup('c').data().asFloat();
        standardiser(x, n);
        standardise(x, n);
        int width = dims + 1;
        weights = new double[width * classes];
        double[] m = new double[weights.length];
        double[] v = new double[weights.length];
        double[] grad = new double[weights.length];
        double[] probabilities = new double[classes];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(config.seed());
        int batchSize = config.linearBatchSize();
        long totalSteps = (long) ((n + batchSize - 1) / batchSize) * config.linearEpochs();
        long step = 0;
        for (int epoch = 0; epoch < config.linearEpochs(); epoch++) {
            shuffle(order, random);
            for (int start = 0; start < n; start += batchSize) {
                int end = Math.min(n, start + batchSize);
                java.util.Arrays.fill(grad, 0);
                for (int r = start; r < end; r++) {
                    int row = order[r];
                    softmax(x, row * dims, probabilities);
                    probabilities[labels[row]] -= 1;
                    for (int d = 0; d <= dims; d++) {
                        double xd = d == dims ? 1 : x[row * dims + d];
                        if (xd == 0) {
                            continue;
                        }
                        int base = d * classes;
                        for (int c = 0; c < classes; c++) {
                            grad[base + c] += xd * probabilities[c];
                        }
                    }
                }
                int rows = end - start;
                for (int i = 0; i < grad.length; i++) {
                    boolean bias = i >= dims * classes;
                    grad[i] = grad[i] / rows + (bias ? 0 : config.linearL2() * weights[i]);
                }
                step++;
                double rate = config.linearLearningRate() * 0.5 * (1 + Math.cos(Math.PI * (step - 1) / totalSteps));
                adam(grad, m, v, rate, step);
                progress.accept(rows);
            }
        }
        return this;
    }

    public int[] predict(INDArray features) {
        if (weights == null) {
            throw new IllegalStateException("fit the probe first");
        }
        if (features.columns() != dims) {
            throw new IllegalArgumentException("features have " + features.columns() + " columns, the probe " + dims);
        }
        int n = (int) features.rows();
        float[] x = features.castTo(DataType.FLOAT).dup('c').data().asFloat();
        standardise(x, n);
        double[] scores = new double[classes];
        int[] predicted = new int[n];
        for (int row = 0; row < n; row++) {
            logits(x, row * dims, scores);
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (scores[c] > scores[best]) {
                    best = c;
                }
            }
            predicted[row] = best;
        }
        return predicted;
    }

    public double accuracy(INDArray features, int[] labels) {
        int[] predicted = predict(features);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }
        return labels.length == 0 ? 0 : (double) correct / labels.length;
    }

    private void standardiser(float[] x, int n) {
        double[] sum = new double[dims];
        double[] sumSquares = new double[dims];
        for (int row = 0; row < n; row++) {
            for (int d = 0; d < dims; d++) {
                double value = x[row * dims + d];
                sum[d] += value;
                sumSquares[d] += value * value;
            }
        }
        mean = new float[dims];
        scale = new float[dims];
        for (int d = 0; d < dims; d++) {
            double mu = sum[d] / n;
            double variance = Math.max(0, sumSquares[d] / n - mu * mu);
            mean[d] = (float) mu;
            scale[d] = (float) (1 / Math.max(MIN_STD, Math.sqrt(variance)));
        }
    }

    private void standardise(float[] x, int n) {
        for (int row = 0; row < n; row++) {
            for (int d = 0; d < dims; d++) {
                x[row * dims + d] = (x[row * dims + d] - mean[d]) * scale[d];
            }
        }
    }

    private void logits(float[] x, int offset, double[] out) {
        int biasRow = dims * classes;
        System.arraycopy(weights, biasRow, out, 0, classes);
        for (int d = 0; d < dims; d++) {
            double xd = x[offset + d];
            if (xd == 0) {
                continue;
            }
            int base = d * classes;
            for (int c = 0; c < classes; c++) {
                out[c] += xd * weights[base + c];
            }
        }
    }

    private void softmax(float[] x, int offset, double[] out) {
        logits(x, offset, out);
        double max = Double.NEGATIVE_INFINITY;
        for (double value : out) {
            max = Math.max(max, value);
        }
        double total = 0;
        for (int c = 0; c < out.length; c++) {
            out[c] = Math.exp(out[c] - max);
            total += out[c];
        }
        for (int c = 0; c < out.length; c++) {
            out[c] /= total;
        }
    }

    private void adam(double[] grad, double[] m, double[] v, double rate, long step) {
        double correction1 = 1 - Math.pow(ADAM_BETA1, step);
        double correction2 = 1 - Math.pow(ADAM_BETA2, step);
        for (int i = 0; i < weights.length; i++) {
            m[i] = ADAM_BETA1 * m[i] + (1 - ADAM_BETA1) * grad[i];
            v[i] = ADAM_BETA2 * v[i] + (1 - ADAM_BETA2) * grad[i] * grad[i];
            weights[i] -= rate * (m[i] / correction1) / (Math.sqrt(v[i] / correction2) + ADAM_EPSILON);
        }
    }

    private static void shuffle(int[] values, Random random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }
}
