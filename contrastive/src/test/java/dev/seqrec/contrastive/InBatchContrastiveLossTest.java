package dev.seqrec.contrastive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Options shared by InfoNCE and DCL: false-negative masking and hard-negative weighting. */
class InBatchContrastiveLossTest {
    private static final int[] SAMPLES_0_AND_2_SHARE_A_TARGET = {5, 6, 5, 7};

    private final INDArray a = RandomViews.gaussian(31, 4, 3);
    private final INDArray b = RandomViews.gaussian(32, 4, 3);

    private static InfoNce infoNce(double beta) {
        return new InfoNce(InfoNceConfig.defaults().withSimilarity(Similarity.COSINE).withTemperature(0.5)
                .withHardNegativeBeta(beta));
    }

    private static DecoupledContrastiveLoss dcl(double beta) {
        return new DecoupledContrastiveLoss(DecoupledContrastiveConfig.defaults().withHardNegativeBeta(beta));
    }

    private static double value(InBatchContrastiveLoss loss, INDArray a, INDArray b, int[] targets) {
        SameDiff sd = SameDiff.create();
        Map<String, INDArray> inputs = new HashMap<>(Map.of("a", a, "b", b));
        SDVariable targetVariable = null;
        if (targets != null) {
            inputs.put("targets", Nd4j.createFromArray(targets));
            targetVariable = sd.placeHolder("targets", DataType.INT, targets.length);
        }
        loss.build(sd, "loss", sd.placeHolder("a", a.dataType(), a.shape()),
                sd.placeHolder("b", b.dataType(), b.shape()), targetVariable);
        return sd.outputSingle(inputs, "loss").getDouble(0);
    }

    private static double[] rowLosses(InBatchContrastiveLoss loss, INDArray a, INDArray b, int[] targets) {
        SameDiff sd = SameDiff.create();
        Map<String, INDArray> inputs = new HashMap<>(Map.of("a", a, "b", b));
        SDVariable targetVariable = null;
        if (targets != null) {
            inputs.put("targets", Nd4j.createFromArray(targets));
            targetVariable = sd.placeHolder("targets", DataType.INT, targets.length);
        }
        loss.rowLosses(sd, "rows", sd.placeHolder("a", a.dataType(), a.shape()),
                sd.placeHolder("b", b.dataType(), b.shape()), targetVariable);
        return sd.outputSingle(inputs, "rows").toDoubleVector();
    }

    @Test
    void hardNegativeBetaZeroEqualsThePlainLoss() {
        var plainInfoNce = new ReferenceInBatchLoss(Similarity.COSINE, 0.5, 0, true);
        var plainDcl = new ReferenceInBatchLoss(Similarity.DOT, 1, 0, false);
        assertEquals(plainInfoNce.loss(a, b, null), EagerLoss.value(infoNce(0), a, b), 1e-9);
        assertEquals(plainDcl.loss(a, b, null), EagerLoss.value(dcl(0), a, b), 1e-9);
    }

    @Test
    void weightedNegativesApproachThePlainLossAsBetaGoesToZero() {
        assertEquals(EagerLoss.value(infoNce(0), a, b), EagerLoss.value(infoNce(1e-9), a, b), 1e-8);
        assertEquals(EagerLoss.value(dcl(0), a, b), EagerLoss.value(dcl(1e-9), a, b), 1e-8);
    }

    @Test
    void hardNegativeWeightingMatchesItsDefinition() {
        assertEquals(new ReferenceInBatchLoss(Similarity.COSINE, 0.5, 2, true).loss(a, b, null),
                EagerLoss.value(infoNce(2), a, b), 1e-9);
        assertEquals(new ReferenceInBatchLoss(Similarity.DOT, 1, 2, false).loss(a, b, null),
                EagerLoss.value(dcl(2), a, b), 1e-9);
    }

    @Test
    void hardNegativeWeightingRaisesTheLossBecauseHarderNegativesCountMore() {
        assertTrue(EagerLoss.value(infoNce(1), a, b) > EagerLoss.value(infoNce(0), a, b));
        assertTrue(EagerLoss.value(dcl(1), a, b) > EagerLoss.value(dcl(0), a, b));
    }

    @Test
    void hardNegativeGradientsMatchFiniteDifferences() {
        GradientCheck.assertPairLossGradients(infoNce(1.5), a, b);
        GradientCheck.assertPairLossGradients(dcl(1.5), a, b);
    }

    @Test
    void falseNegativeMaskChangesOnlyTheRowsOfSamplesSharingATarget() {
        for (InBatchContrastiveLoss loss : new InBatchContrastiveLoss[] {infoNce(0), dcl(0)}) {
            double[] unmasked = rowLosses(loss, a, b, null);
            double[] masked = rowLosses(loss, a, b, SAMPLES_0_AND_2_SHARE_A_TARGET);
            for (int row : new int[] {1, 3, 5, 7}) {
                assertEquals(unmasked[row], masked[row], 1e-9, "row " + row + " of an unaffected sample");
            }
            for (int row : new int[] {0, 2, 4, 6}) {
                assertNotEquals(unmasked[row], masked[row], 1e-6, "row " + row + " of a sample sharing its target");
            }
        }
    }

    @Test
    void falseNegativeMaskMatchesItsDefinition() {
        var reference = new ReferenceInBatchLoss(Similarity.COSINE, 0.5, 0, true);
        assertArrayEquals(reference.rowLosses(a, b, SAMPLES_0_AND_2_SHARE_A_TARGET),
                rowLosses(infoNce(0), a, b, SAMPLES_0_AND_2_SHARE_A_TARGET), 1e-9);
        assertEquals(new ReferenceInBatchLoss(Similarity.DOT, 1, 2, false).loss(a, b, SAMPLES_0_AND_2_SHARE_A_TARGET),
                value(dcl(2), a, b, SAMPLES_0_AND_2_SHARE_A_TARGET), 1e-9);
    }

    @Test
    void distinctTargetsMaskNothing() {
        assertEquals(EagerLoss.value(infoNce(0), a, b), value(infoNce(0), a, b, new int[] {3, 1, 4, 2}), 1e-9);
    }

    @Test
    void logitsFarBeyondExpRangeStayFiniteInFloat32() {
        // dot products around 1e4: exp overflows float32 above 88, so only a shifted log-sum-exp survives
        INDArray bigA = a.mul(60);
        INDArray bigB = b.mul(60);
        for (InBatchContrastiveLoss dot : new InBatchContrastiveLoss[] {
                new InfoNce(InfoNceConfig.defaults()), dcl(0), dcl(0.5)}) {
            double exact = EagerLoss.value(dot, bigA, bigB);
            double single = EagerLoss.value(dot, bigA.castTo(DataType.FLOAT),
                    bigB.castTo(DataType.FLOAT));
            assertTrue(Double.isFinite(single), "float32 loss " + single);
            assertEquals(exact, single, 1e-3 * Math.abs(exact));
        }
    }

    @Test
    void largeTargetIdsStayDistinctWithFloat32Views() {
        // 2^24 and 2^24 + 1 are the same number in float32
        INDArray a32 = a.castTo(DataType.FLOAT);
        INDArray b32 = b.castTo(DataType.FLOAT);
        assertEquals(EagerLoss.value(infoNce(0), a32, b32),
                value(infoNce(0), a32, b32, new int[] {16_777_216, 16_777_217, 3, 4}), 1e-6);
    }

    @Test
    void infoNceRowWithEveryOtherSampleMaskedHasOnlyItsPositiveAndLosesNothing() {
        double[] rows = rowLosses(infoNce(0), a, b, new int[] {1, 1, 1, 1});
        assertArrayEquals(new double[8], rows, 1e-9);
    }

    @Test
    void dclRowsLeftWithoutNegativesAreSkipped() {
        int[] allShareOneTarget = {1, 1, 1, 1};
        assertArrayEquals(new double[8], rowLosses(dcl(0), a, b, allShareOneTarget), 0.0);
        assertEquals(0.0, value(dcl(0), a, b, allShareOneTarget), 0.0);
    }

    @Test
    void falseNegativeMaskGradientsMatchFiniteDifferences() {
        Map<String, INDArray> inputs = new HashMap<>(Map.of(
                "a", a.dup(), "b", b.dup(), "targets", Nd4j.createFromArray(SAMPLES_0_AND_2_SHARE_A_TARGET)));
        GradientCheck.assertMatchesFiniteDifferences(inputs,
                (sd, in) -> dcl(0.5).build(sd, "loss", in.get("a"), in.get("b"), in.get("targets")), "a", "b");
    }
}
