package dev.seqrec.vision.probe;

import dev.seqrec.report.ProgressBar;
import dev.seqrec.vision.data.ImageSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Runs the linear probe and the k-NN probe on features of the train and test splits, with progress bars. */
public final class ProbeEvaluation {

    private final ProbeConfig config;

    public ProbeEvaluation(ProbeConfig config) {
        this.config = config;
    }

    public ProbeConfig config() {
        return config;
    }

    /** Raw pixels as features, [count, height * width]: the baseline every encoder is compared with. */
    public static INDArray pixels(ImageSet images) {
        return Nd4j.create(images.pixels(), new long[]{images.count(), images.pixelsPerImage()}, 'c');
    }

    public ProbeResult evaluate(String what, INDArray trainFeatures, ImageSet train, INDArray testFeatures,
                                ImageSet test) {
        int classes = Math.max(train.classCount(), test.classCount());
        double linear;
        try (ProgressBar bar = ProgressBar.start("linear probe (" + what + ")",
                (long) config.linearEpochs() * train.count())) {
            LinearProbe probe = new LinearProbe(config).fit(trainFeatures, train.labels(), classes, bar::advance);
            linear = probe.accuracy(testFeatures, test.labels());
            bar.field("accuracy", linear);
        }
        double knn;
        try (ProgressBar bar = ProgressBar.start(config.knnNeighbours() + "-NN probe (" + what + ")", test.count())) {
            knn = new KnnProbe(config).accuracy(trainFeatures, train.labels(), testFeatures, test.labels(), bar::advance);
            bar.field("accuracy", knn);
        }
        return new ProbeResult(linear, knn);
    }
}
