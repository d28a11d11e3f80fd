package dev.seqrec.contrastive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Shuffling the samples of a batch (both views the same way) changes no loss. */
class BatchOrderInvarianceTest {
    private static final int[] SHUFFLE = {2, 0, 4, 1, 3};

    private final INDArray a = RandomViews.gaussian(41, 5, 3);
    private final INDArray b = RandomViews.gaussian(42, 5, 3);

    private static INDArray shuffled(INDArray x) {
        return Nd4j.pullRows(x, 1, SHUFFLE);
    }

    static Stream<PairLoss> pairLosses() {
        return Stream.of(
                new InfoNce(InfoNceConfig.defaults()),
                new InfoNce(InfoNceConfig.defaults().withSimilarity(Similarity.COSINE).withHardNegativeBeta(1)),
                new DecoupledContrastiveLoss(DecoupledContrastiveConfig.defaults().withSimilarity(Similarity.COSINE)),
                new WeightedDecoupledContrastiveLoss(WeightedDecoupledContrastiveConfig.defaults()),
                new MclrecRegularizer(MclrecRegularizerConfig.defaults()));
    }

    @ParameterizedTest
    @MethodSource("pairLosses")
    void pairLossIgnoresTheOrderOfSamples(PairLoss loss) {
        assertEquals(EagerLoss.value(loss, a, b), EagerLoss.value(loss, shuffled(a), shuffled(b)), 1e-9);
    }

    @Test
    void supervisedContrastiveLossIgnoresTheOrderOfSamples() {
        var loss = new SupervisedContrastiveLoss(SupervisedContrastiveConfig.defaults());
        int[] labels = {0, 1, 0, 2, 1};
        int[] shuffledLabels = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            shuffledLabels[i] = labels[SHUFFLE[i]];
        }
        double original = EagerLoss.value(loss, a, Nd4j.createFromArray(labels));
        double reordered = EagerLoss.value(loss, shuffled(a), Nd4j.createFromArray(shuffledLabels));
        assertEquals(original, reordered, 1e-9);
    }

    @Test
    void diagnosticsIgnoreTheOrderOfSamples() {
        var diagnostics = new AlignmentUniformity(AlignmentUniformityConfig.defaults());
        var original = diagnostics.measure(a, b);
        var reordered = diagnostics.measure(shuffled(a), shuffled(b));
        assertEquals(original.alignment(), reordered.alignment(), 1e-9);
        assertEquals(original.uniformity(), reordered.uniformity(), 1e-9);
    }
}
