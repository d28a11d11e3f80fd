package dev.seqrec.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqrec.eval.data.SequenceDataset;
import dev.seqrec.trainer.model.EncoderConfig;
import dev.seqrec.trainer.model.SequenceBatch;
import dev.seqrec.eval.data.DatasetReader;
import dev.seqrec.trainer.checkpoint.ModelKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingBenchmarkTest {
    private static final EncoderConfig CONFIG = new EncoderConfig(9, 4, 1, 2, 8, 5, 0.5, 0.5, 1e-12, 0.02);

    @Test
    void encoderForwardFlopsCountTheLastBlocksQueriesForTheLastRowsOnly() {
        // one block, the last: B = 2, T = 3, n = 6: keys and values 4 n d^2 = 384, queries and output 4 B d^2 = 128,
        // feed-forward 4 B d inner = 256, attention 4 B T d = 96
        SequenceBatch batch = SequenceBatch.of(new int[][] {{1, 2, 3}, {4}}, CONFIG.maxLength());
        assertEquals(864.0, TrainingBenchmark.encoderForwardFlops(CONFIG, batch));
    }

    @Test
    void encoderForwardFlopsCountEveryTokensQueriesInTheBlocksBeforeTheLast() {
        // the first block as well: 8 n d^2 = 768, 4 n d inner = 768, 4 B T^2 d = 288; then the last block's 864
        EncoderConfig twoBlocks = new EncoderConfig(9, 4, 2, 2, 8, 5, 0.5, 0.5, 1e-12, 0.02);
        SequenceBatch batch = SequenceBatch.of(new int[][] {{1, 2, 3}, {4}}, twoBlocks.maxLength());
        assertEquals(1824.0 + 864.0, TrainingBenchmark.encoderForwardFlops(twoBlocks, batch));
    }

    @Test
    void aSasrecStepCostsThreeForwardsPlusThreeOutputProducts() {
        SequenceBatch batch = SequenceBatch.of(new int[][] {{1, 2, 3}, {4}}, CONFIG.maxLength());
        TrainingStep.Work work = new TrainingStep.Work(Map.of(), new SequenceBatch[] {batch}, new SequenceBatch[0]);
        // 3 x 864 + 3 x 2 B d (N + 1) = 2592 + 480
        assertEquals(3072.0, TrainingBenchmark.stepFlops(CONFIG, work, 2));
    }

    @Test
    void dataTooSmallForATimedStepIsRefusedNamingItsBatchCount(@TempDir Path tmp) throws Exception {
        // two users of five items, two training samples each: the first item has no history before it, the last two
        // are held out
        SequenceDataset fourSamples = DatasetReader.read(Files.writeString(tmp.resolve("tiny.txt"),
                "1 1 2 3 4 5\n2 5 4 3 2 1\n"));
        TrainingOptions options = TrainingOptions.defaults(ModelKind.SASREC, DatasetPreset.BEAUTY);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingBenchmark.run(fourSamples, options, 1, 1.0));
        assertTrue(e.getMessage().contains("at least " + TrainingBenchmark.MIN_BATCHES + " batches"), e.getMessage());
        assertTrue(e.getMessage().contains("4 training samples make 1"), e.getMessage());
    }
}
