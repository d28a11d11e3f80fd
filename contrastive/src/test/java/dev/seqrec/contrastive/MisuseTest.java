package dev.seqrec.contrastive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/** Bad settings and mismatched inputs fail when the loss is configured or built, with a message saying why. */
class MisuseTest {
    @Test
    void aTemperatureThatIsNotPositiveIsRejected() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> new InfoNce(InfoNceConfig.defaults().withTemperature(0)));
        assertEquals("temperature must be > 0, got 0.0", error.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new MclrecRegularizer(MclrecRegularizerConfig.defaults().withTemperature(-1)));
        assertThrows(IllegalArgumentException.class,
                () -> SupervisedContrastiveConfig.defaults().withTemperature(Double.NaN));
    }

    @Test
    void aNegativeHardNegativeBetaIsRejected() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> new DecoupledContrastiveLoss(DecoupledContrastiveConfig.defaults().withHardNegativeBeta(-0.5)));
        assertEquals("hard-negative beta must be >= 0, got -0.5", error.getMessage());
    }

    @Test
    void viewsOfDifferentWidthsAreRejectedWhenBuilding() {
        SameDiff sd = SameDiff.create();
        var error = assertThrows(IllegalArgumentException.class, () -> new InfoNce(InfoNceConfig.defaults())
                .build(sd, "loss", sd.placeHolder("a", DataType.FLOAT, -1, 64), sd.placeHolder("b", DataType.FLOAT, -1, 32)));
        assertEquals("the two views must have the same shape [B, d], got [-1, 64] and [-1, 32]", error.getMessage());
    }

    @Test
    void anAllZeroRowUnderCosineGivesFiniteLossAndGradients() {
        var a = RandomViews.gaussian(121, 3, 2);
        a.getRow(1).assign(0);
        var b = RandomViews.gaussian(122, 3, 2);
        var loss = new InfoNce(InfoNceConfig.defaults().withSimilarity(Similarity.COSINE));
        assertTrue(Double.isFinite(EagerLoss.value(loss, a, b)));
        var gradients = GradientCheck.pairLossGradients(loss, a, b);
        for (double value : gradients.get("a").data().asDouble()) {
            assertTrue(Double.isFinite(value), gradients.get("a").toString());
        }
    }
}
