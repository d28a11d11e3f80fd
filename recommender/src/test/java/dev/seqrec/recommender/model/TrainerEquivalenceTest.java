package dev.seqrec.recommender.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seqrec.eval.data.IdMapping;
import dev.seqrec.trainer.checkpoint.ReferenceWeights;
import dev.seqrec.trainer.model.EncoderConfig;
import dev.seqrec.trainer.model.EncoderScorer;
import dev.seqrec.trainer.model.EncoderWeights;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Serving's eager pass over plain float arrays must score exactly like the trainer's encoder (to 1e-5). */
class TrainerEquivalenceTest {
    private static final double TOLERANCE = 1e-5;

    @Test
    void randomSmallModelScoresLikeTheTrainerIncludingHistoriesLongerThanTheEncoderReads() {
        int items = 40;
        // A large init std makes attention and GELU far from linear, so a wrong mask or position shows.
        EncoderConfig config = new EncoderConfig(items, 16, 2, 2, 32, 6, 0.5, 0.5, 1e-12, 0.5);
        EncoderWeights weights = EncoderWeights.initialise(config, 7, DataType.FLOAT);
        int[][] histories = {{3}, {1, 2}, {5, 9, 5, 40}, {7, 1, 8, 2, 9, 3}, {4, 6, 8, 10, 12, 14, 16, 18, 20}};
        assertSameScores(config, weights, mapping(items), histories);
    }

    @Test
    void referenceBeautyModelScoresLikeTheTrainer() throws IOException {
        ReferenceWeights.Imported imported = ReferenceModel.weights();
        int[][] histories = {{1}, {12101, 5, 77}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
                java.util.stream.IntStream.rangeClosed(100, 170).toArray()};
        assertSameScores(imported.config(), imported.weights(), ReferenceModel.items(), histories);
    }

    private static void assertSameScores(EncoderConfig config, EncoderWeights weights, IdMapping items,
                                         int[][] histories) {
        ServingModel serving = new ServingModel(new ModelCard("sasrec", "v", "d", config.numItems(), Map.of(),
                List.of()), config, weights, items, new long[config.numItems()]);
        float[][] expected = new float[histories.length][config.numItems() + 1];
        new EncoderScorer("trainer", config, weights).score(histories, expected);
        for (int b = 0; b < histories.length; b++) {
            float[] actual = serving.score(histories[b]);
            for (int item = 1; item <= config.numItems(); item++) {
                assertEquals(expected[b][item], actual[item], TOLERANCE,
                        "history " + b + ", item " + item);
            }
            assertEquals(Float.NEGATIVE_INFINITY, actual[0], "padding column");
        }
    }

    private static IdMapping mapping(int items) {
        IdMapping mapping = new IdMapping();
        for (int i = 1; i <= items; i++) {
            mapping.getOrAdd("i" + i);
        }
        return mapping;
    }
}
