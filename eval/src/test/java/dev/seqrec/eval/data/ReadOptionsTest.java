package dev.seqrec.eval.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadOptionsTest {

    @Test
    void aNegativeUserThresholdIsRefusedNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReadOptions(Optional.empty(), -1, 5));
        assertEquals("k-core thresholds must be >= 0, got users -1, items 5", e.getMessage());
    }

    @Test
    void aNegativeItemThresholdIsRefusedNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReadOptions(Optional.empty(), 5, -2));
        assertEquals("k-core thresholds must be >= 0, got users 5, items -2", e.getMessage());
    }

    @Test
    void withKCoreChecksTheNewThresholds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReadOptions.DEFAULTS.withKCore(-5, -5));
        assertEquals("k-core thresholds must be >= 0, got users -5, items -5", e.getMessage());
    }
}
