package dev.seqrec.contrastive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FeatureTransformationTest {
    private static final int BATCH = 4;

    private final INDArray a = RandomViews.gaussian(51, BATCH, 3);
    private final INDArray b = RandomViews.gaussian(52, BATCH, 3);
    private final InfoNce infoNce = new InfoNce(
            InfoNceConfig.defaults().withSimilarity(Similarity.COSINE).withTemperature(0.5));

    private static FeatureTransformation wrap(FeatureTransformationConfig config, PairLoss inner) {
        return new FeatureTransformation(config, inner);
    }

    @Test
    void evaluationModeGivesTheInnerLoss() {
        var dcl = new DecoupledContrastiveLoss(DecoupledContrastiveConfig.defaults());
        for (PairLoss inner : new PairLoss[] {infoNce, dcl}) {
            var transformed = wrap(FeatureTransformationConfig.defaults(), inner);
            assertEquals(EagerLoss.value(inner, a, b), transformed.value(a, b, FeatureTransformation.Mode.EVALUATION),
                    1e-12);
        }
    }

    @Test
    void trainingModeTransformsTheFeatures() {
        var transformed = wrap(FeatureTransformationConfig.defaults(), infoNce);
        assertNotEquals(EagerLoss.value(infoNce, a, b), transformed.value(a, b, FeatureTransformation.Mode.TRAINING),
                1e-3);
    }

    @Test
    void theSameSeedDrawsTheSameTransformations() {
        var config = FeatureTransformationConfig.defaults().withSeed(7);
        double first = wrap(config, infoNce).value(a, b, FeatureTransformation.Mode.TRAINING);
        double again = wrap(config, infoNce).value(a, b, FeatureTransformation.Mode.TRAINING);
        double otherSeed = wrap(config.withSeed(8), infoNce).value(a, b, FeatureTransformation.Mode.TRAINING);
        assertEquals(first, again, 0.0);
        assertNotEquals(first, otherSeed, 1e-9);
    }

    @Test
    void evaluationDrawsNothingSoTrainingDrawsRepeat() {
        var config = FeatureTransformationConfig.defaults().withSeed(9);
        var withoutEvaluation = wrap(config, infoNce);
        var withEvaluation = wrap(config, infoNce);
        withEvaluation.value(a, b, FeatureTransformation.Mode.EVALUATION);
        assertEquals(withoutEvaluation.value(a, b, FeatureTransformation.Mode.TRAINING),
                withEvaluation.value(a, b, FeatureTransformation.Mode.TRAINING), 0.0);
    }

    @Test
    void extrapolationFactorsLieBetweenOneAndTwo() {
        var transformed = wrap(FeatureTransformationConfig.defaults(), infoNce);
        INDArray lambda = transformed.inputs("loss", 1000, DataType.DOUBLE, FeatureTransformation.Mode.TRAINING)
                .get("loss/feature_transformation_lambda");
        assertTrue(lambda.minNumber().doubleValue() >= 1 && lambda.maxNumber().doubleValue() <= 2);
        // Beta(2, 2) + 1 has mean 1.5
        assertEquals(1.5, lambda.meanNumber().doubleValue(), 0.03);
    }

    @Test
    void positiveExtrapolationMovesEachViewAwayFromItsPartner() {
        var transformed = wrap(FeatureTransformationConfig.defaults().withNegativeInterpolation(false), infoNce);
        Map<String, INDArray> inputs = transformed.inputs("loss", BATCH, DataType.DOUBLE,
                FeatureTransformation.Mode.TRAINING);
        INDArray lambda = inputs.get("loss/feature_transformation_lambda");
        INDArray extrapolatedA = a.mulColumnVector(lambda).add(b.mulColumnVector(lambda.rsub(1)));
        INDArray extrapolatedB = b.mulColumnVector(lambda).add(a.mulColumnVector(lambda.rsub(1)));
        assertEquals(EagerLoss.value(infoNce, extrapolatedA, extrapolatedB),
                EagerLoss.value(transformed, a, b, inputs), 1e-12);
    }

    @Test
    void interpolatedNegativesJoinTheCandidatesOfAnchorsFromOtherSamples() {
        var transformed = wrap(FeatureTransformationConfig.defaults().withPositiveExtrapolation(false), infoNce);
        Map<String, INDArray> inputs = transformed.inputs("loss", BATCH, DataType.DOUBLE,
                FeatureTransformation.Mode.TRAINING);
        INDArray mixing = inputs.get("loss/feature_transformation_mixing");
        INDArray ignored = inputs.get("loss/feature_transformation_ignored");
        INDArray extra = mixing.mmul(Nd4j.concat(0, a, b));
        var reference = new ReferenceInBatchLoss(Similarity.COSINE, 0.5, 0, true);
        double expected = ReferenceInBatchLoss.mean(reference.rowLosses(a, b, null, null, extra, ignored));
        assertEquals(expected, EagerLoss.value(transformed, a, b, inputs), 1e-9);
    }

    @Test
    void anInterpolatedNegativeIsIgnoredByTheAnchorsOfTheSamplesMixedIntoIt() {
        var transformed = wrap(FeatureTransformationConfig.defaults(), infoNce);
        Map<String, INDArray> inputs = transformed.inputs("loss", BATCH, DataType.DOUBLE,
                FeatureTransformation.Mode.TRAINING);
        INDArray mixing = inputs.get("loss/feature_transformation_mixing");
        INDArray ignored = inputs.get("loss/feature_transformation_ignored");
        for (int extra = 0; extra < 2 * BATCH; extra++) {
            for (int anchor = 0; anchor < 2 * BATCH; anchor++) {
                boolean mixedFromAnchorSample = mixing.getDouble(extra, anchor % BATCH) > 0
                        || mixing.getDouble(extra, anchor % BATCH + BATCH) > 0;
                assertEquals(mixedFromAnchorSample ? 1.0 : 0.0, ignored.getDouble(anchor, extra),
                        "anchor " + anchor + ", extra negative " + extra);
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesInTraining() {
        var transformed = wrap(FeatureTransformationConfig.defaults(), infoNce);
        Map<String, INDArray> inputs = new HashMap<>(transformed.inputs("loss", BATCH, DataType.DOUBLE,
                FeatureTransformation.Mode.TRAINING));
        inputs.put("a", a.dup());
        inputs.put("b", b.dup());
        GradientCheck.assertMatchesFiniteDifferences(inputs,
                (sd, in) -> transformed.build(sd, "loss", in.get("a"), in.get("b")), "a", "b");
    }

    @Test
    void gradientsInEvaluationModeAreThoseOfTheInnerLoss() {
        var transformed = wrap(FeatureTransformationConfig.defaults(), infoNce);
        Map<String, INDArray> inputs = transformed.inputs("loss", BATCH, DataType.DOUBLE,
                FeatureTransformation.Mode.EVALUATION);
        var sd = org.nd4j.autodiff.samediff.SameDiff.create();
        sd.var("a", a.dup());
        sd.var("b", b.dup());
        transformed.build(sd, "loss", sd.getVariable("a"), sd.getVariable("b")).markAsLoss();
        Map<String, INDArray> gradients = sd.calculateGradients(inputs, "a", "b");
        Map<String, INDArray> expected = GradientCheck.pairLossGradients(infoNce, a, b);
        assertTrue(expected.get("a").equalsWithEps(gradients.get("a"), 1e-12), gradients.get("a").toString());
        assertTrue(expected.get("b").equalsWithEps(gradients.get("b"), 1e-12), gradients.get("b").toString());
    }

    @Test
    void float32InputsWork() {
        var transformed = wrap(FeatureTransformationConfig.defaults(), infoNce);
        double loss = transformed.value(a.castTo(DataType.FLOAT), b.castTo(DataType.FLOAT),
                FeatureTransformation.Mode.EVALUATION);
        assertEquals(EagerLoss.value(infoNce, a, b), loss, 1e-5);
    }

    @Test
    void negativeInterpolationNeedsAnInBatchLoss() {
        var regularizer = new MclrecRegularizer(MclrecRegularizerConfig.defaults());
        var error = assertThrows(IllegalArgumentException.class,
                () -> wrap(FeatureTransformationConfig.defaults(), regularizer));
        assertEquals("negative interpolation needs InfoNCE, DCL or DCLW as the inner loss, got MclrecRegularizer",
                error.getMessage());
    }
}
