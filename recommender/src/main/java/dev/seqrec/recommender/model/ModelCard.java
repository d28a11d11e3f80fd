package dev.seqrec.recommender.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a served model is and how well it did, as recorded by the trainer in its checkpoint. Immutable: the maps and
 * rows are copied, in the order given.
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
        Map<String, Map<String, Double>> byModel = new LinkedHashMap<>();
        metrics.forEach((model, values) -> byModel.put(model, frozen(values)));
        metrics = Collections.unmodifiableMap(byModel);
        trainingCurve = trainingCurve.stream().map(ModelCard::frozen).toList();
    }

    private static <V> Map<String, V> frozen(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
