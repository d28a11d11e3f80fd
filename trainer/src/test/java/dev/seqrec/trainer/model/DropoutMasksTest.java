package dev.seqrec.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DropoutMasksTest {
    private static final int UNITS = 100_001;

    @Test
    void aMaskDropsAboutPOfTheUnitsAndScalesTheKeptOnesByOneOverOneMinusP() {
        DropoutMask mask = new DropoutMasks(7).mask(0.2, UNITS);
        int kept = 0;
        for (int i = 0; i < UNITS; i++) {
            double factor = mask.factor(i);
            assertTrue(factor == 0.0 || factor == 1.25, "unit " + i + " has factor " + factor);
            kept += factor > 0 ? 1 : 0;
        }
        // 0.8 of 100,001 units, with a standard deviation of about 126 units
        assertEquals(0.8, kept / (double) UNITS, 0.005);
    }

    @Test
    void neighbouringUnitsAreDroppedIndependently() {
        // two units share each 64-bit draw: even and odd units alike keep 0.8, and a pair both keeps 0.64
        DropoutMask mask = new DropoutMasks(9).mask(0.2, UNITS);
        int pairs = UNITS / 2;
        int evenKept = 0;
        int oddKept = 0;
        int bothKept = 0;
        for (int p = 0; p < pairs; p++) {
            boolean even = mask.factor(2 * p) > 0;
            boolean odd = mask.factor(2 * p + 1) > 0;
            evenKept += even ? 1 : 0;
            oddKept += odd ? 1 : 0;
            bothKept += even && odd ? 1 : 0;
        }
        // standard deviations about 0.0018 (single units) and 0.0021 (pairs) over 50,000 pairs
        assertEquals(0.8, evenKept / (double) pairs, 0.01);
        assertEquals(0.8, oddKept / (double) pairs, 0.01);
        assertEquals(0.64, bothKept / (double) pairs, 0.01);
    }

    @Test
    void theSameSeedDrawsTheSameMasksInTheSameOrder() {
        DropoutMasks first = new DropoutMasks(11);
        DropoutMasks second = new DropoutMasks(11);
        for (int draw = 0; draw < 3; draw++) {
            DropoutMask a = first.mask(0.5, 1001);
            DropoutMask b = second.mask(0.5, 1001);
            for (int i = 0; i < 1001; i++) {
                assertEquals(a.factor(i), b.factor(i), "draw " + draw + " unit " + i);
            }
        }
    }

    @Test
    void noDropoutMeansNoMask() {
        assertNull(new DropoutMasks(1).mask(0.0, 10));
    }

    @Test
    void aProbabilityOfOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DropoutMasks(1).mask(1.0, 10));
        assertEquals("dropout probability must be below 1, got 1.0", e.getMessage());
    }
}
