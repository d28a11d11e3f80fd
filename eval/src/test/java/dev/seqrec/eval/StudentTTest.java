package dev.seqrec.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Against the tables (and R's pt/qt): 2 * pt(-t, df) and qt(0.975, df). */
class StudentTTest {
    @Test
    void twoSidedPMatchesTheTables() {
        assertEquals(0.05, StudentT.twoSidedP(12.706204736, 1), 1e-9);
        assertEquals(0.05, StudentT.twoSidedP(2.776445105, 4), 1e-9);
        assertEquals(0.3910022190, StudentT.twoSidedP(1, 3), 1e-9);
        assertEquals(1, StudentT.twoSidedP(0, 7), 1e-12);
    }

    @Test
    void manyDegreesOfFreedomApproachTheNormal() {
        assertEquals(ErrorFunction.erfc(1.959963984540054 / Math.sqrt(2)), StudentT.twoSidedP(1.959963984540054, 1e7),
                1e-6);
        assertEquals(1.959963984540054, StudentT.twoSidedQuantile(0.05, 1e9), 1e-6);
    }

    @Test
    void quantilesMatchTheTables() {
        assertEquals(12.706204736, StudentT.twoSidedQuantile(0.05, 1), 1e-8);
        assertEquals(3.182446305, StudentT.twoSidedQuantile(0.05, 3), 1e-8);
        assertEquals(2.776445105, StudentT.twoSidedQuantile(0.05, 4), 1e-8);
        assertEquals(2.042272456, StudentT.twoSidedQuantile(0.05, 30), 1e-8);
        assertEquals(1.983971519, StudentT.twoSidedQuantile(0.05, 100), 1e-8);
        assertEquals(1.962339081, StudentT.twoSidedQuantile(0.05, 1000), 1e-8);
    }

    private static String refusal(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void pRefusesZeroDegreesOfFreedom() {
        assertEquals("degrees of freedom must be positive and finite, got 0.0", refusal(() -> StudentT.twoSidedP(1, 0)));
    }

    @Test
    void pRefusesNegativeDegreesOfFreedom() {
        assertEquals("degrees of freedom must be positive and finite, got -2.0",
                refusal(() -> StudentT.twoSidedP(1, -2)));
    }

    @Test
    void pRefusesNaNDegreesOfFreedom() {
        assertEquals("degrees of freedom must be positive and finite, got NaN",
                refusal(() -> StudentT.twoSidedP(1, Double.NaN)));
    }

    @Test
    void pRefusesInfiniteDegreesOfFreedom() {
        assertEquals("degrees of freedom must be positive and finite, got Infinity",
                refusal(() -> StudentT.twoSidedP(1.96, Double.POSITIVE_INFINITY)));
    }

    @Test
    void pRefusesANaNStatistic() {
        assertEquals("t must be a number, got NaN", refusal(() -> StudentT.twoSidedP(Double.NaN, 3)));
    }

    @Test
    void quantileRefusesZeroDegreesOfFreedom() {
        assertEquals("degrees of freedom must be positive and finite, got 0.0",
                refusal(() -> StudentT.twoSidedQuantile(0.05, 0)));
    }

    @Test
    void quantileRefusesAProbabilityOfZero() {
        assertEquals("p must lie in (0, 1), got 0.0", refusal(() -> StudentT.twoSidedQuantile(0, 5)));
    }

    @Test
    void quantileRefusesAProbabilityOfOne() {
        assertEquals("p must lie in (0, 1), got 1.0", refusal(() -> StudentT.twoSidedQuantile(1, 5)));
    }

    @Test
    void quantileRefusesANegativeProbability() {
        assertEquals("p must lie in (0, 1), got -0.05", refusal(() -> StudentT.twoSidedQuantile(-0.05, 5)));
    }

    @Test
    void quantileRefusesANaNProbability() {
        assertEquals("p must lie in (0, 1), got NaN", refusal(() -> StudentT.twoSidedQuantile(Double.NaN, 5)));
    }
}
