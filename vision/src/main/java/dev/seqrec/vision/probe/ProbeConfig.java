package dev.seqrec.vision.probe;

/**
 * Settings of the two frozen-feature probes.
 *
 * @param knnNeighbours      k of the cosine k-nearest-neighbour vote
 * @param knnBlockRows       test rows scored against the whole train set at a time (bounds memory)
 * @param linearEpochs       passes of the logistic regression over the train features
 * @param linearBatchSize    mini-batch size of the logistic regression
 * @param linearLearningRate Adam step size (decayed with a cosine schedule to zero)
 * @param linearL2           L2 penalty on the logistic regression's weights
 * @param seed               shuffling seed of the logistic regression
 */
public record ProbeConfig(int knnNeighbours, int knnBlockRows, int linearEpochs, int linearBatchSize,
                          double linearLearningRate, double linearL2, long seed) {

    public static ProbeConfig defaults() {
        return new ProbeConfig(20, 512, 20, 256, 0.003, 1e-4, 7L);
    }

    public ProbeConfig {
        requireAtLeastOne("knnNeighbours", knnNeighbours);
        requireAtLeastOne("knnBlockRows", knnBlockRows);
        requireAtLeastOne("linearEpochs", linearEpochs);
        requireAtLeastOne("linearBatchSize", linearBatchSize);
        if (!(linearLearningRate > 0) || !Double.isFinite(linearLearningRate)) {
            throw new IllegalArgumentException("linearLearningRate must be a finite number > 0, got "
                    + linearLearningRate);
        }
        if (!(linearL2 >= 0) || !Double.isFinite(linearL2)) {
            throw new IllegalArgumentException("linearL2 must be a finite number >= 0, got " + linearL2);
        }
    }

    private static void requireAtLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }

    public ProbeConfig withLinearEpochs(int epochs) {
        return new ProbeConfig(knnNeighbours, knnBlockRows, epochs, linearBatchSize, linearLearningRate, linearL2, seed);
    }
}
