package dev.seqrec.recommender.model;

import java.util.List;
import java.util.Map;

/**
 * What a served model is and how well it did, as recorded by the trainer in its checkpoint.
 *
 * @param kind          model family, such as {@code mclrec} or {@code sasrec}
 * @param version       the checkpoint's model version string
 * @param dataset       what it was trained on
 * @param numItems      catalogue size N
 * @param metrics       model name (the model itself, and baselines such as {@code pop} if recorded) -> metric -> value
 * @param trainingCurve one row per epoch, column -> value; empty when the checkpoint has none
 */
public record ModelCard(String kind, String version, String dataset, int numItems,
                        Map<String, Map<String, Double>> metrics, List<Map<String, Double>> trainingCurve) {
    public ModelCard {
        metrics = Map.copyOf(metrics);
        trainingCurve = List.copyOf(trainingCurve);
    }
}
