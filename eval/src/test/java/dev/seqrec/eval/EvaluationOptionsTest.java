package dev.seqrec.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationOptionsTest {

    private static String refusal(List<Integer> cutoffs) {
        return assertThrows(IllegalArgumentException.class, () -> new EvaluationOptions(cutoffs, false, false))
                .getMessage();
    }

    @Test
    void noCutoffsAreRefused() {
        assertEquals("at least one cutoff is needed", refusal(List.of()));
    }

    @Test
    void descendingCutoffsAreRefusedNamingThem() {
        assertEquals("cutoffs must be positive and strictly ascending, got [10, 5]", refusal(List.of(10, 5)));
    }

    @Test
    void aRepeatedCutoffIsRefusedNamingThem() {
        assertEquals("cutoffs must be positive and strictly ascending, got [5, 5]", refusal(List.of(5, 5)));
    }

    @Test
    void aCutoffBelowOneIsRefusedNamingThem() {
        assertEquals("cutoffs must be positive and strictly ascending, got [0, 5]", refusal(List.of(0, 5)));
    }

    @Test
    void withCutoffsChecksTheNewCutoffsToo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvaluationOptions.DEFAULTS.withCutoffs(List.of(20, 10)));
        assertEquals("cutoffs must be positive and strictly ascending, got [20, 10]", e.getMessage());
    }
}
