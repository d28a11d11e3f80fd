package dev.seqrec.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GeluTest {
    /** Phi's error bound of the vectorised kernel (trainer/tools/normal_cdf_fit.py: 9.3e-8), with some room. */
    private static final double CDF_TOLERANCE = 1.5e-7;

    @Test
    void theTestsRunWithTheVectorApiAsTheLauncherDoesAndOnceWithout() {
        // trainer/pom.xml runs these tests a second time without the module, to cover the fallbacks
        boolean expected = Boolean.parseBoolean(System.getProperty("seqrec.test.vectorApi", "true"));
        assertEquals(expected, ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "surefire's argLine and --add-modules jdk.incubator.vector");
    }

    @Test
    void floatArraysGetTheExactGeluWithinFloatPrecisionOverTheWholeRange() {
        // 28,001 points from -14 to 14: both branches of Phi, both tails, a length no vector width divides
        INDArray x = Nd4j.linspace(DataType.DOUBLE, -14, 0.001, 28_001);
        Gelu.Output exact = Gelu.forward(x);
        Gelu.Output single = Gelu.forward(x.castTo(DataType.FLOAT));
        for (int i = 0; i < x.length(); i++) {
            double phi = exact.normalCdf().getDouble(i);
            assertEquals(phi, single.normalCdf().getDouble(i), CDF_TOLERANCE, "Phi at " + x.getDouble(i));
            assertEquals(exact.activated().getDouble(i), single.activated().getDouble(i),
                    CDF_TOLERANCE * Math.abs(x.getDouble(i)) + 1e-6 * Math.abs(exact.activated().getDouble(i)),
                    "gelu at " + x.getDouble(i));
        }
    }

    @Test
    void theVectorisedLowerTailKeepsItsRelativeAccuracy() {
        assumeTrue(VectorApi.FOR_ND4J_ARRAYS, "ND4J's float erf has none there");
        // at x = -5, Phi = 2.9e-7: 1 + erf in float would leave it a few units of 6e-8; at -8 and -12, none
        INDArray x = Nd4j.createFromArray(-5.0f, -8.0f, -12.0f);
        double[] exact = {2.866515718791933e-7, 6.22096057427174e-16, 1.776482112077653e-33}; // scipy.stats.norm.cdf
        INDArray phi = Gelu.forward(x).normalCdf();
        for (int i = 0; i < exact.length; i++) {
            assertEquals(1.0, phi.getDouble(i) / exact[i], 1e-4, "Phi(" + x.getDouble(i) + ")");
        }
    }

    @Test
    void farBelowZeroGeluAndItsDerivativeAreExactlyZeroAsNd4jGivesThem() {
        INDArray x = Nd4j.createFromArray(-15f, -20f, -100f);
        Gelu.Output out = Gelu.forward(x);
        INDArray derivative = Gelu.multiplyByDerivative(Nd4j.ones(DataType.FLOAT, 3), x, out.normalCdf());
        for (int i = 0; i < 3; i++) {
            // with a delta, so that -0.0 (x times 0) counts as 0
            assertEquals(0.0, out.normalCdf().getDouble(i), 0.0, "Phi(" + x.getDouble(i) + ")");
            assertEquals(0.0, out.activated().getDouble(i), 0.0, "gelu(" + x.getDouble(i) + ")");
            assertEquals(0.0, derivative.getDouble(i), 0.0, "gelu'(" + x.getDouble(i) + ")");
        }
    }

    @Test
    void theDerivativeMultipliesTheGradientInPlaceAsTheExactFormulaDoes() {
        INDArray x = TestArrays.gaussian(1, 37, 3, DataType.DOUBLE).muli(3);
        INDArray gradient = TestArrays.gaussian(2, 37, 3, DataType.DOUBLE);
        INDArray expected = Gelu.multiplyByDerivative(gradient.dup(), x, Gelu.forward(x).normalCdf());
        INDArray xFloat = x.castTo(DataType.FLOAT);
        INDArray actual = gradient.castTo(DataType.FLOAT);
        INDArray returned = Gelu.multiplyByDerivative(actual, xFloat, Gelu.forward(xFloat).normalCdf());
        assertTrue(returned == actual, "in place");
        TestArrays.assertClose(expected, actual.castTo(DataType.DOUBLE), 1e-6, "gradient");
    }

    @Test
    void theVectorisedKernelGivesTheSameBitsBeforeAndAfterTheJitCompilesIt() {
        assumeTrue(VectorApi.FOR_ND4J_ARRAYS, "vector API kernels not in use here");
        INDArray x = TestArrays.gaussian(1, 4, 1001, DataType.FLOAT).muli(4); // both branches of Phi, both tails
        INDArray gradient = TestArrays.gaussian(2, 4, 1001, DataType.FLOAT);
        // the first calls: interpreted, the vector operations as Java loops
        INDArray cdf = Gelu.forward(x).normalCdf();
        INDArray cold = Gelu.multiplyByDerivative(gradient.dup(), x, cdf);
        for (int i = 0; i < 20_000; i++) { // until C2 compiles the kernels with the operations as instructions
            Gelu.multiplyByDerivative(gradient.dup(), x, Gelu.forward(x).normalCdf());
        }
        assertArrayEquals(cdf.ravel().toFloatVector(), Gelu.forward(x).normalCdf().ravel().toFloatVector());
        assertArrayEquals(cold.ravel().toFloatVector(),
                Gelu.multiplyByDerivative(gradient.dup(), x, cdf).ravel().toFloatVector());
    }

    @Test
    void theDoublePathIsNd4jsErfAndExp() {
        // the gradient checks run in double through ND4J's ops: d/dx x Phi(x) against a central difference
        double x = 0.7;
        double h = 1e-6;
        INDArray points = Nd4j.createFromArray(x - h, x + h);
        INDArray gelu = Gelu.forward(points).activated();
        double numeric = (gelu.getDouble(1) - gelu.getDouble(0)) / (2 * h);
        INDArray at = Nd4j.createFromArray(x);
        double analytic = Gelu.multiplyByDerivative(Nd4j.createFromArray(1.0), at, Gelu.forward(at).normalCdf())
                .getDouble(0);
        assertEquals(numeric, analytic, 1e-9);
    }
}
