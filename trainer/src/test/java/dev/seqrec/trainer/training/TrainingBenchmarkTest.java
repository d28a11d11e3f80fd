package dev.seqrec.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seqrec.trainer.model.EncoderConfig;
import dev.seqrec.trainer.model.SequenceBatch;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingBenchmarkTest {
    private static final EncoderConfig CONFIG = new EncoderConfig(9, 4, 1, 2, 8, 5, 0.5, 0.5, 1e-12, 0.02);

    @Test
    void encoderForwardFlopsCountLinearFeedForwardAndAttentionProducts() {
        // B = 2, T = 3, n = 6: 8 n d^2 = 768, 4 n d inner = 768, 4 B T^2 d = 288
        SequenceBatch batch = SequenceBatch.of(new int[][] {{1, 2, 3}, {4}}, CONFIG.maxLength());
        assertEquals(1824.0, TrainingBenchmark.encoderForwardFlops(CONFIG, batch));
    }

    @Test
    void aSasrecStepCostsThreeForwardsPlusThreeOutputProducts() {
        SequenceBatch batch = SequenceBatch.of(new int[][] {{1, 2, 3}, {4}}, CONFIG.maxLength());
        TrainingStep.Work work = new TrainingStep.Work(Map.of(), new SequenceBatch[] {batch}, new SequenceBatch[0]);
        // 3 x 1824 + 3 x 2 B d (N + 1) = 5472 + 480
        assertEquals(5952.0, TrainingBenchmark.stepFlops(CONFIG, work, 2));
    }
}
