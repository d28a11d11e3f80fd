package dev.seqrec.cli;

import dev.seqrec.vision.data.FashionMnist;
import dev.seqrec.vision.probe.ProbeConfig;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** Options shared by {@code vision train} and {@code vision eval}: where the images are, how many, the probes. */
final class VisionDataOptions {

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with the four IDX files (train-/t10k- images/labels, .gz or not). "
                    + "Default: Debian's dataset-fashion-mnist, /usr/share/datasets/fashion-mnist.")
    Path data = FashionMnist.DEBIAN_DIRECTORY;

    @Option(names = "--train-limit", paramLabel = "N", defaultValue = "0",
            description = "Use only the first N training images (0: all). Default: ${DEFAULT-VALUE}.")
    int trainLimit;

    @Option(names = "--test-limit", paramLabel = "N", defaultValue = "0",
            description = "Use only the first N test images (0: all). Default: ${DEFAULT-VALUE}.")
    int testLimit;

    @Option(names = "--knn-k", paramLabel = "K", description = "Neighbours of the cosine k-NN probe. Default: 20.")
    Integer knnK;

    @Option(names = "--probe-epochs", paramLabel = "N",
            description = "Passes of the linear probe's logistic regression. Default: 20.")
    Integer probeEpochs;

    /** Fails on a value out of range, naming its option, before anything loads. */
    void check(VisionOptionChecks checks) {
        checks.atLeast("--train-limit", trainLimit, 0);
        checks.atLeast("--test-limit", testLimit, 0);
        checks.atLeast("--knn-k", knnK, 1);
        checks.atLeast("--probe-epochs", probeEpochs, 1);
    }

    FashionMnist.Splits load() throws IOException {
        if (trainLimit < 0 || testLimit < 0) {
            throw new IllegalArgumentException("--train-limit and --test-limit must be >= 0, got " + trainLimit
                    + " and " + testLimit);
        }
        FashionMnist.Splits splits = FashionMnist.load(data);
        return new FashionMnist.Splits(trainLimit == 0 ? splits.train() : splits.train().head(trainLimit),
                testLimit == 0 ? splits.test() : splits.test().head(testLimit));
    }

    ProbeConfig probeConfig() {
        ProbeConfig d = ProbeConfig.defaults();
        return new ProbeConfig(knnK == null ? d.knnNeighbours() : knnK, d.knnBlockRows(),
                probeEpochs == null ? d.linearEpochs() : probeEpochs, d.linearBatchSize(), d.linearLearningRate(),
                d.linearL2(), d.seed());
    }
}
