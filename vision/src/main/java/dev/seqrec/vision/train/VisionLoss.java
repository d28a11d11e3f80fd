package dev.seqrec.vision.train;

import dev.seqrec.contrastive.DecoupledContrastiveConfig;
import dev.seqrec.contrastive.DecoupledContrastiveLoss;
import dev.seqrec.contrastive.InfoNce;
import dev.seqrec.contrastive.InfoNceConfig;
import dev.seqrec.contrastive.PairLoss;
import dev.seqrec.contrastive.Similarity;
import dev.seqrec.contrastive.SupervisedContrastiveConfig;
import dev.seqrec.contrastive.SupervisedContrastiveLoss;
import dev.seqrec.contrastive.WeightedDecoupledContrastiveConfig;
import dev.seqrec.contrastive.WeightedDecoupledContrastiveLoss;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

import java.util.Locale;

/**
 * The contrastive losses the encoder can be trained with, all on cosine similarity as SimCLR does. SupCon also
 * uses the class labels (it is supervised); the others see only the two views.
 */
public enum VisionLoss {
    INFONCE(0.2, false),
    DCL(0.2, false),
    DCLW(0.2, false),
    SUPCON(SupervisedContrastiveConfig.defaults().temperature(), true);

    private final double defaultTemperature;
    private final boolean usesLabels;

    VisionLoss(double defaultTemperature, boolean usesLabels) {
        this.defaultTemperature = defaultTemperature;
        this.usesLabels = usesLabels;
    }

    public double defaultTemperature() {
        return defaultTemperature;
    }

    public boolean usesLabels() {
        return usesLabels;
    }

    /** Lower-case name used on the command line and in reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static VisionLoss parse(String text) {
        for (VisionLoss loss : values()) {
            if (loss.label().equalsIgnoreCase(text.trim())) {
                return loss;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + text + "' (expected infonce, dcl, dclw or supcon)");
    }

    /**
     * Adds the loss of two projected views za, zb [B, d] to the graph; {@code labels} [2B] (the batch's labels
     * twice) is read only by SupCon.
     */
    SDVariable build(SameDiff sd, String name, SDVariable za, SDVariable zb, SDVariable labels, double temperature) {
        return switch (this) {
            case INFONCE -> pair(new InfoNce(new InfoNceConfig(Similarity.COSINE, temperature, 0)), sd, name, za, zb);
            case DCL -> pair(new DecoupledContrastiveLoss(
                    new DecoupledContrastiveConfig(Similarity.COSINE, temperature, 0)), sd, name, za, zb);
            case DCLW -> pair(new WeightedDecoupledContrastiveLoss(WeightedDecoupledContrastiveConfig.defaults()
                    .withSimilarity(Similarity.COSINE).withTemperature(temperature)), sd, name, za, zb);
            case SUPCON -> new SupervisedContrastiveLoss(new SupervisedContrastiveConfig(Similarity.COSINE, temperature))
                    .build(sd, name, sd.concat(0, za, zb), labels);
        };
    }

    private static SDVariable pair(PairLoss loss, SameDiff sd, String name, SDVariable za, SDVariable zb) {
        return loss.build(sd, name, za, zb);
    }
}
