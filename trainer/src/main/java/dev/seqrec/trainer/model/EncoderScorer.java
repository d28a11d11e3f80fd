package dev.seqrec.trainer.model;

import dev.seqrec.eval.NextItemScorer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Full-catalogue scores from the encoder (spec 4.4): h E[0..N]^T, padding column at -infinity. The same
 * {@link SasrecEncoder} forward pass as training, in evaluation mode. The evaluator hands over large batches; they are
 * encoded in chunks, which bound the memory of one encoder run (the encoder computes the chunk's positions alone, so
 * mixed lengths cost no padding).
 */
public final class EncoderScorer implements NextItemScorer {
    /** Histories the evaluator hands over per call. */
    public static final int DEFAULT_BATCH_SIZE = 2048;
    /** Histories per encoder run within a call. */
    public static final int DEFAULT_CHUNK_SIZE = 256;
    private static final String WORKSPACE = "seqrec-scoring-chunk";

    private final String name;
    private final SasrecEncoder encoder;
    private final int batchSize;
    private final int chunkSize;

    public EncoderScorer(String name, EncoderConfig config, EncoderWeights weights, int batchSize, int chunkSize) {
        this.name = name;
        this.encoder = new SasrecEncoder(config, weights);
        this.batchSize = batchSize;
        this.chunkSize = chunkSize;
    }

    public EncoderScorer(String name, EncoderConfig config, EncoderWeights weights) {
        this(name, config, weights, DEFAULT_BATCH_SIZE, DEFAULT_CHUNK_SIZE);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int numItems() {
        return encoder.config().numItems();
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public void score(int[][] histories, float[][] scores) {
        for (int start = 0; start < histories.length; start += chunkSize) {
            int end = Math.min(histories.length, start + chunkSize);
            int[][] chunk = Arrays.copyOfRange(histories, start, end);
            try (MemoryWorkspace scratch = ScratchWorkspace.open(WORKSPACE, ScratchWorkspace.SCORING_CHUNK_BYTES)) {
                INDArray out = scores(chunk).castTo(DataType.FLOAT);
                for (int i = start; i < end; i++) {
                    float[] row = scores[i];
                    System.arraycopy(out.getRow(i - start).toFloatVector(), 0, row, 0, row.length);
                    row[0] = Float.NEGATIVE_INFINITY;
                }
            }
        }
    }

    /** Raw scores [B, N + 1] including the padding column. */
    public INDArray scores(int[][] histories) {
        return SasrecEncoder.product(encode(histories), encoder.weights().itemEmbedding(), false, true);
    }

    /** The sequence vectors h [B, d]. */
    public INDArray encode(int[][] histories) {
        return encoder.forward(SequenceBatch.of(histories, encoder.config().maxLength()), null).h;
    }
}
