package dev.seqrec.trainer.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layer normalisation over each token's row, fused with the residual sum and the dropouts around it, as one loop per
 * row: with ND4J's element-wise operations the forward pass took six passes over the tokens and the backward pass
 * ten, each a thread hand-off (measured with async-profiler).
 */
final class LayerNorm {
    private static final int SUM = 0;
    private static final int OTHER = 1;
    private static final int RESULT = 2;
    private static final int BRANCH = 3;

    private final double eps;

    LayerNorm(double eps) {
        this.eps = eps;
    }

    /** What the backward pass needs: the normalised rows x̂ [n, d] and each row's 1/σ [n] (packed), and which rows. */
    record Saved(INDArray normalised, INDArray inverseStd, Rows rows) {
    }

    /**
     * The rows normalised: all of them, or, for a batch's tokens [B*T, d], each history's positions only (packed one
     * history after another), the padding rows coming out 0. Padding rows feed only hidden keys and other padding
     * rows, so their values never reach a loss; in a batch 50 wide, histories of about 9 items leave most rows padding.
     */
    static final class Rows {
        private final SequenceBatch batch;
        private final int count;
        /** The full row of each packed row, or null when all rows are normalised. */
        private final int[] full;

        private Rows(SequenceBatch batch, int count, int[] full) {
            this.batch = batch;
            this.count = count;
            this.full = full;
        }

        /** Every row of an [n, d] array. */
        static Rows all(long n) {
            return new Rows(null, Math.toIntExact(n), null);
        }

        /** The positions of {@code batch}'s histories among its tokens' rows. */
        static Rows positionsOf(SequenceBatch batch) {
            int[] lengths = batch.lengths();
            int count = 0;
            for (int length : lengths) {
                count += length;
            }
            int[] full = new int[count];
            for (int b = 0, p = 0; b < lengths.length; b++) {
                for (int s = 0; s < lengths[b]; s++) {
                    full[p++] = b * batch.width() + s;
                }
            }
            return new Rows(batch, count, full);
        }

        private int full(int packed) {
            return full == null ? packed : full[packed];
        }

        /** to = from ⊙ mask over the packed rows [count, d], the mask indexing the whole array; from may be to. */
        private void mask(DropoutMask mask, double[] from, double[] to, int d) {
            for (int r = 0; r < count; r++) {
                int o = r * d;
                int m = full(r) * d;
                for (int k = 0; k < d; k++) {
                    to[o + k] = from[o + k] * mask.factor(m + k);
                }
            }
        }

        private double[] read(HostBuffers host, INDArray a, int slot) {
            return batch == null ? host.read(a, slot) : host.readLeadingRows(a, slot, batch.width(), batch.lengths());
        }

        private INDArray write(HostBuffers host, double[] values, DataType type, int d) {
            return batch == null ? host.write(values, type, count, d)
                    : host.writeLeadingRows(values, type, batch.width(), batch.lengths(), d);
        }
    }

    record Output(INDArray y, Saved saved) {
    }

    /**
     * Gradients of one normalisation. {@code sum} is dLoss/d(x + drop(branch)), the residual path's gradient;
     * {@code branch} is dLoss/d(branch) and {@code branchColumnSums} its sum over the rows, the gradient of the bias
     * of the layer that made the branch (both null when not asked for).
     */
    record Gradients(INDArray sum, INDArray branch, INDArray branchColumnSums, INDArray gain, INDArray bias) {
    }

    /**
     * y = outputMask ⊙ (gain ⊙ LN(x + branchMask ⊙ branch) + bias), rows over the last axis of [n, d].
     *
     * @param rows       the rows normalised ({@link Rows}); the masks index the whole [n, d] array
     * @param branch     added to x before normalising, or null
     * @param branchMask dropout mask of the branch, or null
     * @param outputMask dropout mask of the result, or null
     */
    Output forward(Rows rows, INDArray x, INDArray branch, DropoutMask branchMask, INDArray gain, INDArray bias,
                   DropoutMask outputMask) {
        HostBuffers host = HostBuffers.ofThisThread();
        DataType type = x.dataType();
        int n = rows.count;
        int d = (int) x.columns();
        int length = n * d;
        double[] v = rows.read(host, x, SUM);
        if (branch != null) {
            double[] br = rows.read(host, branch, OTHER);
            if (branchMask == null) {
                for (int i = 0; i < length; i++) {
                    v[i] += br[i];
                }
            } else {
                for (int r = 0; r < n; r++) {
                    int o = r * d;
                    int m = rows.full(r) * d;
                    for (int k = 0; k < d; k++) {
                        v[o + k] += br[o + k] * branchMask.factor(m + k);
                    }
                }
            }
        }
        double[] g = gain.toDoubleVector();
        double[] b = bias.toDoubleVector();
        double[] out = host.scratch(RESULT, length);
        double[] inverseStd = new double[n];
        for (int r = 0; r < n; r++) {
            int o = r * d;
            double mean = 0;
            for (int k = 0; k < d; k++) {
                mean += v[o + k];
            }
            mean /= d;
            double variance = 0;
            for (int k = 0; k < d; k++) {
                double c = v[o + k] - mean;
                v[o + k] = c;
                variance += c * c;
            }
            double inv = 1.0 / Math.sqrt(variance / d + eps);
            inverseStd[r] = inv;
            for (int k = 0; k < d; k++) {
                double normalised = v[o + k] * inv;
                v[o + k] = normalised;
                out[o + k] = normalised * g[k] + b[k];
            }
        }
        if (outputMask != null) {
            rows.mask(outputMask, out, out, d);
        }
        Saved saved = new Saved(host.write(v, type, n, d), host.write(inverseStd, type, n), rows);
        return new Output(rows.write(host, out, type, d), saved);
    }

    /**
     * The backward pass of {@link #forward} given dLoss/dy.
     *
     * @param withBranch whether the branch's gradient is wanted
     * @param branchMask the forward pass's branch mask, or null
     * @param outputMask the forward pass's output mask, or null
     */
    Gradients backward(INDArray dy, Saved saved, INDArray gain, boolean withBranch, DropoutMask branchMask,
                       DropoutMask outputMask) {
        HostBuffers host = HostBuffers.ofThisThread();
        DataType type = dy.dataType();
        Rows rows = saved.rows();
        int n = (int) saved.normalised().rows();
        int d = (int) saved.normalised().columns();
        int length = n * d;
        double[] grad = rows.read(host, dy, OTHER);
        if (outputMask != null) {
            rows.mask(outputMask, grad, grad, d);
        }
        double[] g = gain.toDoubleVector();
        double[] xhat = host.read(saved.normalised(), SUM);
        double[] inverseStd = saved.inverseStd().toDoubleVector();
        double[] dGain = new double[d];
        double[] dBias = new double[d];
        double[] dSum = host.scratch(RESULT, length);
        for (int r = 0; r < n; r++) {
            int o = r * d;
            double meanD = 0;
            double meanDx = 0;
            for (int k = 0; k < d; k++) {
                double dyk = grad[o + k];
                double xk = xhat[o + k];
                dGain[k] += dyk * xk;
                dBias[k] += dyk;
                double dxhat = dyk * g[k];
                meanD += dxhat;
                meanDx += dxhat * xk;
            }
            meanD /= d;
            meanDx /= d;
            double inv = inverseStd[r];
            for (int k = 0; k < d; k++) {
                dSum[o + k] = (grad[o + k] * g[k] - meanD - xhat[o + k] * meanDx) * inv;
            }
        }
        INDArray sum = rows.write(host, dSum, type, d);
        INDArray branch = null;
        INDArray branchColumnSums = null;
        if (withBranch) {
            double[] dBranch = dSum;
            if (branchMask != null) {
                dBranch = host.scratch(BRANCH, length);
                rows.mask(branchMask, dSum, dBranch, d);
            }
            double[] columns = new double[d];
            for (int r = 0; r < n; r++) {
                int o = r * d;
                for (int k = 0; k < d; k++) {
                    columns[k] += dBranch[o + k];
                }
            }
            branch = branchMask == null ? sum : rows.write(host, dBranch, type, d);
            branchColumnSums = host.write(columns, type, d);
        }
        return new Gradients(sum, branch, branchColumnSums, host.write(dGain, type, d), host.write(dBias, type, d));
    }
}
