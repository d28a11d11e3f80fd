package dev.seqrec.trainer.model;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every trained tensor of the SASRec encoder, in seqrec's convention: linear weights are [in, out], so
 * y = x W + b (the transpose of PyTorch's). Float32. This is what checkpoints hold and what serving reads.
 *
 * @param itemEmbedding     [N + 1, d]; row 0 = padding; also the tied output layer
 * @param positionEmbedding [L, d]
 * @param inputNormGain     [d]
 * @param inputNormBias     [d]
 * @param blocks            one per transformer block, in order
 */
public record EncoderWeights(INDArray itemEmbedding, INDArray positionEmbedding, INDArray inputNormGain,
                             INDArray inputNormBias, List<Block> blocks) {

    /**
     * One post-LayerNorm transformer block.
     * wq, wk, wv, wo: [d, d]; w1: [d, inner]; w2: [inner, d]; biases and layer-norm vectors: [width].
     */
    public record Block(INDArray wq, INDArray bq, INDArray wk, INDArray bk, INDArray wv, INDArray bv,
                        INDArray wo, INDArray bo, INDArray attentionNormGain, INDArray attentionNormBias,
                        INDArray w1, INDArray b1, INDArray w2, INDArray b2,
                        INDArray feedForwardNormGain, INDArray feedForwardNormBias) {
    }
}
