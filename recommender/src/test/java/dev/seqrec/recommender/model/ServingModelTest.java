package dev.seqrec.recommender.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.seqrec.eval.data.IdMapping;
import dev.seqrec.recommender.TestCheckpoints;
import dev.seqrec.trainer.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A served model is immutable: a request holding one must find it as it was loaded. */
class ServingModelTest {
    @TempDir
    Path dir;

    @Test
    void theModelsVocabularyAndCardCannotBeChanged() throws IOException {
        Checkpoint checkpoint = Checkpoint.load(TestCheckpoints.write(dir.resolve("ckpt"), 1));
        Map<String, Double> sasrec = new LinkedHashMap<>();
        sasrec.put("test_ndcg@10", 0.2);
        sasrec.put("test_hr@10", 0.3);
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        metrics.put("sasrec", sasrec);
        metrics.put("pop", new LinkedHashMap<>(Map.of("test_hr@10", 0.1)));
        Map<String, Double> epoch = new LinkedHashMap<>(Map.of("epoch", 1.0));
        List<Map<String, Double>> curve = new ArrayList<>(List.of(epoch));
        ModelCard source = new ModelCard("sasrec", "v1", "tiny.txt", TestCheckpoints.ITEMS, metrics, curve);
        ServingModel model = new ServingModel(source, checkpoint.config(), checkpoint.weights(), checkpoint.items(),
                checkpoint.itemCounts());

        // Neither the mapping it was built from nor the one it hands out reaches its vocabulary
        checkpoint.items().getOrAdd("late");
        model.items().getOrAdd("added");
        for (String item : List.of("late", "added")) {
            assertEquals(IdMapping.UNKNOWN, model.itemId(item), item);
        }
        assertEquals(TestCheckpoints.ITEMS, model.items().size());
        assertEquals(7, model.itemId("i7"));

        // Nor do the card's sources, and the card itself refuses changes, keeping the order it was given
        sasrec.put("late", 1.0);
        metrics.put("late", Map.of());
        epoch.put("late", 1.0);
        curve.add(Map.of());
        ModelCard card = model.card();
        assertEquals(List.of("sasrec", "pop"), List.copyOf(card.metrics().keySet()));
        assertEquals(List.of("test_ndcg@10", "test_hr@10"), List.copyOf(card.metrics().get("sasrec").keySet()));
        assertEquals(List.of(Map.of("epoch", 1.0)), card.trainingCurve());
        assertThrows(UnsupportedOperationException.class, () -> card.metrics().put("late", Map.of()));
        assertThrows(UnsupportedOperationException.class, () -> card.metrics().get("pop").put("late", 1.0));
        assertThrows(UnsupportedOperationException.class, () -> card.trainingCurve().add(Map.of()));
        assertThrows(UnsupportedOperationException.class, () -> card.trainingCurve().get(0).put("late", 1.0));
    }
}
