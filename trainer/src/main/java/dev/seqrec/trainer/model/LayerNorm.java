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

    /** What the backward pass needs: the normalised rows x̂ [n, d] and each row's 1/σ [n]. */
    record Saved(INDArray normalised, INDArray inverseStd) {
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
     * @param branch     added to x before normalising, or null
     * @param branchMask dropout mask of the branch, or null
     * @param outputMask dropout mask of the result, or null
     */
    Output forward(INDArray x, INDArray branch, DropoutMask branchMask, INDArray gain, INDArray bias,
                   DropoutMask outputMask) {
        HostBuffers host = HostBuffers.ofThisThread();
        DataType type = x.dataType();
        int n = Math.toIntExact(x.rows());
        int d = (int) x.columns();
        int length = n * d;
        double[] v = host.read(x, SUM);
        if (branch != null) {
            double[] br = host.read(branch, OTHER);
            for (int i = 0; i < length; i++) {
                v[i] += branchMask == null ? br[i] : br[i] * branchMask.factor(i);
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
            mask(outputMask, out, out, length);
        }
        Saved saved = new Saved(host.write(v, type, n, d), host.write(inverseStd, type, n));
        return new Output(host.write(out, type, n, d), saved);
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
        int n = (int) saved.normalised().rows();
        int d = (int) saved.normalised().columns();
        int length = n * d;
        double[] grad = host.read(dy, OTHER);
        if (outputMask != null) {
            mask(outputMask, grad, grad, length);
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
        INDArray sum = host.write(dSum, type, n, d);
        INDArray branch = null;
        INDArray branchColumnSums = null;
        if (withBranch) {
            double[] dBranch = dSum;
            if (branchMask != null) {
                dBranch = host.scratch(BRANCH, length);
                mask(branchMask, dSum, dBranch, length);
            }
            double[] columns = new double[d];
            for (int r = 0; r < n; r++) {
                int o = r * d;
                for (int k = 0; k < d; k++) {
                    columns[k] += dBranch[o + k];
                }
            }
            branch = branchMask == null ? sum : host.write(dBranch, type, n, d);
            branchColumnSums = host.write(columns, type, d);
        }
        return new Gradients(sum, branch, branchColumnSums, host.write(dGain, type, d), host.write(dBias, type, d));
    }

    /** to = from ⊙ mask over {@code length} entries; from may be to. */
    private static void mask(DropoutMask mask, double[] from, double[] to, int length) {
        for (int i = 0; i < length; i++) {
            to[i] = from[i] * mask.factor(i);
        }
    }
}
