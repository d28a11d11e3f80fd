package dev.seqrec.contrastive;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rg's gradients written the way the PyTorch reference computes them (meta_contrast_rl_1, dot similarity), in plain
 * float64 loops: negatives n_i as the row's columns without i and partner(i), in column order; q_i = torch.max(n_i)
 * (gradient to the first maximal index); lo_i = torch.min(cat(p_i, q_i)) and hi_i = torch.max(cat(p_i, q_i))
 * (gradient to the first extreme index, so p_i on a tie); clamp(x, min = 0) passing the gradient where x >= 0.
 */
final class ReferenceRegularizer {
    private ReferenceRegularizer() {
    }

    /** {dL/da, dL/db} for dot similarity at temperature tau. */
    static INDArray[] gradients(INDArray a, INDArray b, double tau) {
        double[][] u = Nd4j.concat(0, a, b).toDoubleMatrix();
        int n = u.length;
        int samples = n / 2;
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                for (int c = 0; c < u[i].length; c++) {
                    s[i][k] += u[i][c] * u[k][c];
                }
                s[i][k] /= tau;
            }
        }
        double[][] ds = new double[n][n];
        double positiveMean = 1.0 / n; // torch.mean over [2B, 1]
        double negativeMean = 1.0 / ((double) n * (n - 2)); // torch.mean over [2B, 2B - 2]
        for (int i = 0; i < n; i++) {
            int partner = i < samples ? i + samples : i - samples;
            int[] negatives = new int[n - 2];
            int count = 0;
            for (int k = 0; k < n; k++) {
                if (k != i && k != partner) {
                    negatives[count++] = k;
                }
            }
            int hardest = negatives[0];
            for (int k : negatives) {
                if (s[i][k] > s[i][hardest]) { // strict: the first maximum keeps the index
                    hardest = k;
                }
            }
            double p = s[i][partner];
            double q = s[i][hardest];
            int low = q < p ? hardest : partner; // cat(p, q): index 0 (p) unless q is strictly smaller
            int high = q > p ? hardest : partner;
            if (p - Math.min(p, q) >= 0) { // clamp passes the gradient at its bound
                ds[i][partner] += positiveMean;
                ds[i][low] -= positiveMean;
            }
            for (int k : negatives) {
                if (Math.max(p, q) - s[i][k] >= 0) {
                    ds[i][high] += negativeMean;
                    ds[i][k] -= negativeMean;
                }
            }
        }
        double[][] du = new double[n][u[0].length];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double g = (ds[i][k] + ds[k][i]) / tau;
                for (int c = 0; c < u[0].length; c++) {
                    du[i][c] += g * u[k][c];
                }
            }
        }
        INDArray all = Nd4j.createFromArray(du);
        return new INDArray[] {all.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, samples),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup(), all.get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(samples, n), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup()};
    }
}
