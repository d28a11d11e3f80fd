package dev.seqrec.vision.probe;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ProbesOnSeparableDataTest {

    /** Three classes of points around the directions (1,0,0), (0,1,0), (0,0,1), with a little noise. */
    private static INDArray clusters(int perClass, int[] labels, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[3 * perClass][3];
        for (int i = 0; i < rows.length; i++) {
            int label = i % 3;
            labels[i] = label;
            for (int d = 0; d < 3; d++) {
                rows[i][d] = (d == label ? 1f : 0f) + 0.1f * (float) random.nextGaussian();
            }
        }
        return Nd4j.create(rows);
    }

    @Test
    void linearProbeSeparatesSeparableClasses() {
        int[] trainLabels = new int[90];
        int[] testLabels = new int[30];
        INDArray train = clusters(30, trainLabels, 1);
        INDArray test = clusters(10, testLabels, 2);
        LinearProbe probe = new LinearProbe(ProbeConfig.defaults().withLinearEpochs(30)).fit(train, trainLabels, 3, n -> { });
        assertEquals(1.0, probe.accuracy(test, testLabels));
    }

    @Test
    void knnProbeSeparatesSeparableClasses() {
        int[] trainLabels = new int[90];
        int[] testLabels = new int[30];
        INDArray train = clusters(30, trainLabels, 1);
        INDArray test = clusters(10, testLabels, 2);
        assertEquals(1.0, new KnnProbe(ProbeConfig.defaults()).accuracy(train, trainLabels, test, testLabels, n -> { }));
    }

    @Test
    void knnUsesCosineSoVectorLengthDoesNotMatter() {
        INDArray train = Nd4j.create(new float[][]{{1, 0}, {0, 1}});
        int[] trainLabels = {0, 1};
        // Far from (1, 0) in Euclidean distance but pointing the same way.
        INDArray test = Nd4j.create(new float[][]{{50, 1}, {0.01f, 0.2f}});
        ProbeConfig oneNeighbour = new ProbeConfig(1, 1, 1, 1, 0.01, 0, 1);
        assertArrayEquals(new int[]{0, 1}, new KnnProbe(oneNeighbour).predict(train, trainLabels, test, n -> { }));
    }

    @Test
    void knnVoteTieGoesToTheMoreSimilarNeighbours() {
        INDArray train = Nd4j.create(new float[][]{{1, 0.1f}, {1, -0.5f}});
        int[] trainLabels = {1, 0};
        INDArray test = Nd4j.create(new float[][]{{1, 0}});
        ProbeConfig twoNeighbours = new ProbeConfig(2, 8, 1, 1, 0.01, 0, 1);
        assertArrayEquals(new int[]{1}, new KnnProbe(twoNeighbours).predict(train, trainLabels, test, n -> { }));
    }
}
