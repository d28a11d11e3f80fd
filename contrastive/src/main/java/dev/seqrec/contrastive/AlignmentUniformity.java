package dev.seqrec.contrastive;

import java.util.Arrays;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Diagnostics of an embedding space (Wang and Isola, 2020), reported in training logs and not trained on.
 * Alignment = mean_i ||a_i/|a_i| - b_i/|b_i|||^alpha (lower: positives closer); uniformity = log mean over pairs
 * i < k of exp(-t ||x_i - x_k||^2) over L2-normalised rows (lower: more evenly spread).
 */
public final class AlignmentUniformity {
    /** Alignment of two views and the uniformity of their rows, averaged over the two views. */
    public record Measurement(double alignment, double uniformity) {
    }

    private static final String OUTPUT = "diagnostic";
    private final AlignmentUniformityConfig config;

    public AlignmentUniformity(AlignmentUniformityConfig config) {
        this.config = config;
    }

    public AlignmentUniformityConfig config() {
        return config;
    }

    /** [B, d] x [B, d] -> scalar alignment. */
    public SDVariable alignment(SameDiff sd, String name, SDVariable a, SDVariable b) {
        SDVariable distancePower;
        try (var scope = sd.withNameScope(name)) {
            SDVariable difference = Similarity.COSINE.prepare(sd, a).sub(Similarity.COSINE.prepare(sd, b));
            SDVariable squaredDistance = sd.sum(difference.mul(difference), true, 1);
            distancePower = sd.math().pow(squaredDistance, config.alignmentAlpha() / 2);
        }
        return sd.mean(name, distancePower);
    }

    /** [n, d] -> scalar uniformity; needs n >= 2. */
    public SDVariable uniformity(SameDiff sd, String name, SDVariable x) {
        SDVariable logSum;
        SDVariable logPairs;
        try (var scope = sd.withNameScope(name)) {
            SDVariable unit = Similarity.COSINE.prepare(sd, x);
            SDVariable squaredNorms = sd.sum(unit.mul(unit), true, 1);
            SDVariable squaredDistances = squaredNorms.add(sd.transpose(squaredNorms))
                    .sub(sd.mmul(unit, unit, false, true, false).mul(2.0));
            // pairs (i, k) and (k, i) hold the same value, so the mean over i != k is the mean over i < k
            SDVariable self = GraphConstants.identityLike(sd, x);
            SDVariable potentials = sd.reshape(squaredDistances.mul(-config.uniformityT()), 1, -1);
            logSum = GraphConstants.logSumExp(sd, potentials, sd.reshape(self, 1, -1));
            logPairs = sd.math().log(sd.sum(self.rsub(1.0)));
        }
        return sd.math().sub(name, sd.reshape(logSum, new long[0]), logPairs);
    }

    /** Both diagnostics of two concrete views [B, d]. */
    public Measurement measure(INDArray a, INDArray b) {
        return new Measurement(alignment(a, b), (uniformity(a) + uniformity(b)) / 2);
    }

    public double alignment(INDArray a, INDArray b) {
        PairLoss alignmentGraph = this::alignment;
        return EagerLoss.value(alignmentGraph, a, b);
    }

    public double uniformity(INDArray x) {
        if (x.rank() != 2 || x.size(0) < 2) {
            throw new IllegalArgumentException("uniformity needs at least 2 rows of [rows, dimensions], got shape "
                    + Arrays.toString(x.shape()));
        }
        SameDiff sd = SameDiff.create();
        SDVariable rows = sd.placeHolder("x", x.dataType(), x.shape());
        uniformity(sd, OUTPUT, rows);
        return sd.outputSingle(Map.of("x", x), OUTPUT).getDouble(0);
    }
}
