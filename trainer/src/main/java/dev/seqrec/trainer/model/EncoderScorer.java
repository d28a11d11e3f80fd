package dev.seqrec.trainer.model;

import dev.seqrec.eval.NextItemScorer;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Full-catalogue scores from the encoder (spec 4.4): h E[0..N]^T, padding column at -infinity. Runs the same
 * {@link EncoderGraph} as training, in evaluation mode, in large batches (SameDiff's cost per execution is high).
 */
public final class EncoderScorer implements NextItemScorer {
    /** Histories per execution: large, to spread SameDiff's per-execution overhead. */
    public static final int DEFAULT_BATCH_SIZE = 1024;
    private static final String SCORES = "scores";

    private final String name;
    private final EncoderConfig config;
    private final EncoderWeights weights;
    private final int batchSize;
    private final SameDiff sd = SameDiff.create();
    private final EncoderGraph graph;

    public EncoderScorer(String name, EncoderConfig config, EncoderWeights weights, int batchSize) {
        this.name = name;
        this.config = config;
        this.weights = weights;
        this.batchSize = batchSize;
        this.graph = new EncoderGraph(sd, config, weights, false);
        sd.mmul(SCORES, graph.output(), graph.itemEmbedding(), false, true, false);
    }

    public EncoderScorer(String name, EncoderConfig config, EncoderWeights weights) {
        this(name, config, weights, DEFAULT_BATCH_SIZE);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int numItems() {
        return config.numItems();
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public void score(int[][] histories, float[][] scores) {
        INDArray out = scores(histories).castTo(DataType.FLOAT);
        for (int b = 0; b < histories.length; b++) {
            float[] row = out.getRow(b).toFloatVector();
            row[0] = Float.NEGATIVE_INFINITY;
            System.arraycopy(row, 0, scores[b], 0, row.length);
        }
    }

    /** Raw scores [B, N + 1] including the padding column. */
    public INDArray scores(int[][] histories) {
        Map<String, INDArray> feed = SequenceBatch.of(histories, config.maxLength()).placeholders(config, weights, null);
        return sd.output(feed, SCORES).get(SCORES);
    }

    /** The sequence vectors h [B, d]. */
    public INDArray encode(int[][] histories) {
        Map<String, INDArray> feed = SequenceBatch.of(histories, config.maxLength()).placeholders(config, weights, null);
        SDVariable h = graph.output();
        return sd.output(feed, h.name()).get(h.name());
    }
}
