package dev.seqrec.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VectorExpTest {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    @BeforeEach
    void vectorApiInUse() {
        assumeTrue(VectorApi.PRESENT, "vector API kernels not in use here");
    }

    /** Every input's exp, SPECIES.length() at a time (the inputs' count a multiple of it). */
    private static float[] exp(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i += SPECIES.length()) {
            VectorExp.exp(FloatVector.fromArray(SPECIES, x, i)).intoArray(y, i);
        }
        return y;
    }

    private static float[] inputs(float from, float to, int count) {
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = from + (to - from) * i / (count - 1);
        }
        return x;
    }

    @Test
    void isWithinTwoUnitsInTheLastPlaceOfMathExpOverFloatsWholeRange() {
        float[] x = inputs(-103.9f, 88.7f, 1 << 20);
        float[] y = exp(x);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double exact = Math.exp(x[i]);
            // units of the float nearest the exact value; in the subnormal range, of the smallest subnormal
            double error = Math.abs(y[i] - exact) / Math.ulp((float) exact);
            worst = Math.max(worst, error);
            assertTrue(error <= 2, "exp(" + x[i] + ") = " + y[i] + ", exactly " + exact);
        }
        System.out.println("worst " + worst);
    }

    @Test
    void isExactlyOneAtZeroAndZeroOrInfinityBeyondFloatsRange() {
        float[] x = new float[SPECIES.length()];
        float[] expected = new float[x.length];
        float[][] cases = {{0f, 1f}, {-104f, 0f}, {-10000f, 0f}, {Float.NEGATIVE_INFINITY, 0f}, {89f, Float.POSITIVE_INFINITY},
                {1e30f, Float.POSITIVE_INFINITY}, {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY}, {Float.NaN, Float.NaN}};
        for (int i = 0; i < x.length; i++) {
            x[i] = cases[i % cases.length][0];
            expected[i] = cases[i % cases.length][1];
        }
        assertArrayEquals(expected, exp(x));
    }

    @Test
    void givesTheSameBitsInterpretedAndJitCompiled() {
        Random random = new Random(1);
        float[] x = new float[SPECIES.length() * 64];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextGaussian() * 30);
        }
        float[] cold = exp(x); // the first call: interpreted, the vector operations as Java loops
        for (int i = 0; i < 20_000; i++) { // until C2 compiles the loop with the operations as instructions
            exp(x);
        }
        assertArrayEquals(cold, exp(x));
    }
}
