package dev.seqrec.vision.probe;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.function.IntConsumer;

/**
 * Cosine k-nearest-neighbour classification: each test row takes the majority label of its k most similar train
 * rows (ties between labels go to the label whose neighbours are more similar in total).
 */
public final class KnnProbe {

    private final int neighbours;
    private final int blockRows;

    public KnnProbe(ProbeConfig config) {
        this.neighbours = config.knnNeighbours();
        this.blockRows = config.knnBlockRows();
    }

    /** Fraction of test rows whose predicted label is right; {@code progress} receives rows done per block. */
    public double accuracy(INDArray train, int[] trainLabels, INDArray test, int[] testLabels, IntConsumer progress) {
        int[] predicted = predict(train, trainLabels, test, progress);
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            correct += predicted[i] == testLabels[i] ? 1 : 0;
        }
        return predicted.length == 0 ? 0 : (double) correct / predicted.length;
    }

    public int[] predict(INDArray train, int[] trainLabels, INDArray test, IntConsumer progress) {
        if (train.rows() != trainLabels.length) {
            throw new IllegalArgumentException(train.rows() + " train rows but " + trainLabels.length + " labels");
        }
        int k = Math.min(neighbours, trainLabels.length);
        int classes = 0;
        for (int label : trainLabels) {
            classes = Math.max(classes, label + 1);
        }
        INDArray trainUnit = unitRows(train);
        INDArray testUnit = unitRows(test);
        int rows = (int) test.rows();
        int[] predicted = new int[rows];
        int[] topIndex = new int[k];
        float[] topSim = new float[k];
        int[] votes = new int[classes];
        double[] similarity = new double[classes];
        for (int start = 0; start < rows; start += blockRows) {
            int end = Math.min(rows, start + blockRows);
            INDArray block = testUnit.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(start, end),
                    org.nd4j.linalg.indexing.NDArrayIndex.all());
            float[][] sims = block.mmul(trainUnit.transpose()).toFloatMatrix();
            for (int r = 0; r < sims.length; r++) {
                int found = topK(sims[r], k, topIndex, topSim);
                java.util.Arrays.fill(votes, 0);
                java.util.Arrays.fill(similarity, 0);
                for (int j = 0; j < found; j++) {
                    int label = trainLabels[topIndex[j]];
                    votes[label]++;
                    similarity[label] += topSim[j];
                }
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (votes[c] > votes[best] || (votes[c] == votes[best] && similarity[c] > similarity[best])) {
                        best = c;
                    }
                }
                predicted[start + r] = best;
            }
            progress.accept(end - start);
        }
        return predicted;
    }

    /** Keeps the k largest values of {@code row} in a small min-heap; returns how many were kept. */
    private static int topK(float[] row, int k, int[] index, float[] value) {
        int size = 0;
        for (int i = 0; i < row.length; i++) {
            float v = row[i];
            if (size < k) {
                index[size] = i;
                value[size] = v;
                siftUp(index, value, size++);
            } else if (v > value[0]) {
                index[0] = i;
                value[0] = v;
                siftDown(index, value, size);
            }
        }
        return size;
    }

    private static void siftUp(int[] index, float[] value, int at) {
        while (at > 0) {
            int parent = (at - 1) / 2;
            if (value[parent] <= value[at]) {
                return;
            }
            swap(index, value, parent, at);
            at = parent;
        }
    }

    private static void siftDown(int[] index, float[] value, int size) {
        int at = 0;
        while (true) {
            int left = 2 * at + 1;
            int smallest = at;
            if (left < size && value[left] < value[smallest]) {
                smallest = left;
            }
            if (left + 1 < size && value[left + 1] < value[smallest]) {
                smallest = left + 1;
            }
            if (smallest == at) {
                return;
            }
            swap(index, value, at, smallest);
            at = smallest;
        }
    }

    private static void swap(int[] index, float[] value, int i, int j) {
        int ti = index[i];
        index[i] = index[j];
        index[j] = ti;
        float tv = value[i];
        value[i] = value[j];
        value[j] = tv;
    }

    private static INDArray unitRows(INDArray x) {
        INDArray rows = x.castTo(DataType.FLOAT);
        INDArray norms = rows.norm2(1).reshape(-1, 1);
        // An all-zero row stays zero instead of becoming NaN.
        norms.addi(Float.MIN_NORMAL);
        return rows.div(norms);
    }
}
