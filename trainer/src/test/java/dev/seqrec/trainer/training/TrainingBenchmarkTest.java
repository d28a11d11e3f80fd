package dev.seqrec.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqrec.eval.data.SequenceDataset;
import dev.seqrec.trainer.model.EncoderConfig;
import dev.seqrec.trainer.model.SequenceBatch;
import dev.seqrec.eval.data.DatasetReader;
import dev.seqrec.eval.data.CyclicSequences;
import dev.seqrec.trainer.checkpoint.ModelKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class TrainingBenchmarkTest {
    private static final EncoderConfig CONFIG = new EncoderConfig(9, 4, 1, 2, 8, 5, 0.5, 0.5, 1e-12, 0.02);

    @Test
    void encoderForwardFlopsCountTheLastBlocksQueriesForTheLastRowsOnly() {
        // one block, the last: B = 2, n = 3 + 1 positions: keys and values 4 n d^2 = 256, queries and output
        // 4 B d^2 = 128, feed-forward 4 B d inner = 256, attention 4 d per pair: 3 + 1 pairs, 64
        SequenceBatch batch = SequenceBatch.of(new int[][] {{1, 2, 3}, {4}}, CONFIG.maxLength());
        assertEquals(704.0, TrainingBenchmark.encoderForwardFlops(CONFIG, batch));
    }

    @Test
    void encoderForwardFlopsCountEveryPositionsQueriesInTheBlocksBeforeTheLast() {
        // the first block as well: 8 n d^2 = 512, 4 n d inner = 512, attention over 1 + 2 + 3 + 1 causal pairs = 112;
        // then the last block's 704
        EncoderConfig twoBlocks = new EncoderConfig(9, 4, 2, 2, 8, 5, 0.5, 0.5, 1e-12, 0.02);
        SequenceBatch batch = SequenceBatch.of(new int[][] {{1, 2, 3}, {4}}, twoBlocks.maxLength());
        assertEquals(1136.0 + 704.0, TrainingBenchmark.encoderForwardFlops(twoBlocks, batch));
    }

    @Test
    void attentionFlopsCountOnlyTheKeysEachPositionSees() {
        // {5, 0, 7}: position 0 sees 1 key, position 1 still 1 (its own item is blanked), position 2 sees 2: 4 pairs;
        // {0, 8}: position 0 sees none and attends to its causal window (1), position 1 sees 1: 2 pairs
        EncoderConfig twoBlocks = new EncoderConfig(9, 4, 2, 2, 8, 5, 0.5, 0.5, 1e-12, 0.02);
        SequenceBatch batch = SequenceBatch.of(new int[][] {{5, 0, 7}, {0, 8}}, twoBlocks.maxLength());
        // the products run over the positions, n = 3 + 2 = 5
        double withoutAttention = 8 * 5 * 16 + 4 * 5 * 4 * 8 + 4 * 5 * 16 + 4 * 2 * 16 + 4 * 2 * 4 * 8;
        // first block 6 pairs, last block 2 + 1 pairs, 4 d = 16 FLOPs each
        assertEquals(withoutAttention + 16 * (6 + 3), TrainingBenchmark.encoderForwardFlops(twoBlocks, batch));
    }

    @Test
    void aSasrecStepCostsThreeForwardsPlusThreeOutputProducts() {
        SequenceBatch batch = SequenceBatch.of(new int[][] {{1, 2, 3}, {4}}, CONFIG.maxLength());
        TrainingStep.Work work = new TrainingStep.Work(Map.of(), new SequenceBatch[] {batch}, new SequenceBatch[0]);
        // 3 x 704 + 3 x 2 B d (N + 1) = 2112 + 480
        assertEquals(2592.0, TrainingBenchmark.stepFlops(CONFIG, work, 2));
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

    /** Enough samples for a few batches of 8 on a small model: quick to benchmark. */
    private static TrainingOptions small() {
        return TrainingOptions.builder(ModelKind.SASREC, DatasetPreset.BEAUTY).batchSize(8).hiddenSize(8).heads(2)
                .innerSize(16).layers(1).maxLength(10).threads(1).build();
    }

    @Test
    void stepsUpToIntegerMaxValueAreBoundedByTheDatasBatches(@TempDir Path tmp) throws Exception {
        // WARMUP_STEPS + Integer.MAX_VALUE overflowed int: "fromIndex(0) > toIndex(-2147483646)"
        SequenceDataset data = DatasetReader.read(CyclicSequences.write(tmp.resolve("cyclic.txt"), 20, 6, 1));
        TrainingBenchmark.Result r = TrainingBenchmark.run(data, small(), Integer.MAX_VALUE, 0.001);
        assertTrue(r.steps() >= 1 && r.steps() < r.stepsPerEpoch(), r.steps() + " of " + r.stepsPerEpoch());
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, 0, -1})
    void secondsPerGemmShapeThatAreNotFiniteAndPositiveAreRefused(double seconds, @TempDir Path tmp) throws Exception {
        SequenceDataset data = DatasetReader.read(CyclicSequences.write(tmp.resolve("cyclic.txt"), 20, 6, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingBenchmark.run(data, small(), 1, seconds));
        assertTrue(e.getMessage().startsWith("seconds per gemm shape must be finite and > 0"), e.getMessage());
    }
}
