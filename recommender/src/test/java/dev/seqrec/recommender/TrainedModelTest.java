package dev.seqrec.recommender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.seqrec.recommender.model.CheckpointLoader;
import dev.seqrec.recommender.model.ModelCard;
import dev.seqrec.trainer.checkpoint.Checkpoint;
import dev.seqrec.trainer.training.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A model trained through the trainer's API, served through the embeddable API. */
class TrainedModelTest {

    @Test
    void aTrainedModelRecommendsTheItemItsTrainingDataAlwaysPutNext() throws IOException {
        try (Recommender recommender = new Recommender(CheckpointLoader.load(TrainedCheckpoint.directory()), null,
                RecommenderConfig.defaults())) {
            for (String first : List.of("3", "7", "11")) {
                String second = TrainedCheckpoint.next(first);
                String third = TrainedCheckpoint.next(second);
                Recommendation answer = recommender.recommend(List.of(first, second, third), 1,
                        RecommendationFilters.NONE);
                assertEquals(TrainedCheckpoint.next(third), answer.items().get(0).item(), "after " + third);
            }
        }
    }

    @Test
    void theTrainingRunsCurveReachesTheModelCardRowByRow() throws IOException {
        Path run = TrainedCheckpoint.directory();
        ModelCard card = CheckpointLoader.load(run).card();
        assertEquals("sasrec", card.kind());
        List<String> csv = Files.readAllLines(run.resolve(CheckpointLoader.TRAINING_CURVE));
        List<String> columns = List.of(csv.get(0).split(","));
        assertEquals(csv.size() - 1, card.trainingCurve().size(), "one card row per curve.csv row");
        for (int row = 1; row < csv.size(); row++) {
            String[] cells = csv.get(row).split(",");
            for (int c = 0; c < columns.size(); c++) {
                assertEquals(Double.parseDouble(cells[c]), card.trainingCurve().get(row - 1).get(columns.get(c)),
                        "row " + row + ", " + columns.get(c));
            }
        }
    }

    @Test
    void theCheckpointsRecordedMetricsReachTheModelCard() throws IOException {
        Path run = TrainedCheckpoint.directory();
        Map<String, Double> recorded = Checkpoint.load(run.resolve(Trainer.BEST)).provenance().metrics();
        Map<String, Double> card = CheckpointLoader.load(run).card().metrics().get("sasrec");
        assertFalse(recorded.isEmpty());
        recorded.forEach((metric, value) -> assertEquals(value, card.get(metric), metric));
    }
}
