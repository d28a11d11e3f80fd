package dev.seqrec.trainer.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The exact GELU, x Phi(x) with Phi the standard normal CDF, and its derivative Phi(x) + x phi(x). Float arrays on
 * the CPU go through {@link VectorGelu} when the JVM has the vector API ({@link VectorApi}); otherwise, and for double
 * arrays (the gradient checks), ND4J's ops.
 */
final class Gelu {
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2 * Math.PI);

    private Gelu() {
    }

    /** GELU of the pre-activations, and Phi of them, which the derivative needs (erf is the costly part). */
    record Output(INDArray normalCdf, INDArray activated) {
    }

    static Output forward(INDArray pre) {
        if (vectorised(pre)) {
            INDArray whole = HostBuffers.wholeRowMajor(pre);
            Output out = new Output(Nd4j.createUninitialized(DataType.FLOAT, whole.shape(), 'c'),
                    Nd4j.createUninitialized(DataType.FLOAT, whole.shape(), 'c'));
            VectorGelu.forward(whole, out.normalCdf(), out.activated());
            return out;
        }
        return forwardWithNd4j(pre);
    }

    /** gradient *= GELU'(pre), in place; {@code cdf} is the forward pass's Phi(pre). Returns {@code gradient}. */
    static INDArray multiplyByDerivative(INDArray gradient, INDArray pre, INDArray cdf) {
        if (vectorised(pre) && HostBuffers.isWholeRowMajor(gradient)) {
            VectorGelu.multiplyByDerivative(gradient, HostBuffers.wholeRowMajor(pre), HostBuffers.wholeRowMajor(cdf));
            return gradient;
        }
        return multiplyByDerivativeWithNd4j(gradient, pre, cdf);
    }

    static Output forwardWithNd4j(INDArray pre) {
        INDArray cdf = pre.mul(SQRT_HALF);
        Nd4j.getExecutioner().exec(new Erf(cdf, cdf));
        cdf.addi(1.0).muli(0.5);
        return new Output(cdf, pre.mul(cdf));
    }

    static INDArray multiplyByDerivativeWithNd4j(INDArray gradient, INDArray pre, INDArray cdf) {
        INDArray density = Transforms.exp(pre.mul(pre).muli(-0.5), false).muli(INV_SQRT_2PI);
        return gradient.muli(density.muli(pre).addi(cdf));
    }

    private static boolean vectorised(INDArray pre) {
        return VectorApi.FOR_ND4J_ARRAYS && pre.dataType() == DataType.FLOAT;
    }
}
