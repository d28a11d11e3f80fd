package dev.seqrec.recommender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.seqrec.recommender.model.CheckpointLoader;
import dev.seqrec.recommender.model.ModelCard;
import java.io.IOException;
import java.util.List;
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
    void theTrainingRunsCurveAndValidationMetricsReachTheModelCard() throws IOException {
        ModelCard card = CheckpointLoader.load(TrainedCheckpoint.directory()).card();
        assertEquals("sasrec", card.kind());
        assertFalse(card.trainingCurve().isEmpty());
        assertFalse(card.metrics().get("sasrec").isEmpty());
    }
}
