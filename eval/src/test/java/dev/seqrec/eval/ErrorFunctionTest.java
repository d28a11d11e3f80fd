package dev.seqrec.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ErrorFunctionTest {
    @Test
    void erfcMatchesTabulatedValues() {
        assertEquals(1, ErrorFunction.erfc(0), 1e-7);
        assertEquals(0.1572992070502851, ErrorFunction.erfc(1), 1e-7);
        assertEquals(1.8427007929497148, ErrorFunction.erfc(-1), 1e-7);
        assertEquals(0.004677734981047266, ErrorFunction.erfc(2), 1e-9);
    }
}
