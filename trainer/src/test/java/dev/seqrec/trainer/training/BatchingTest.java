package dev.seqrec.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BatchingTest {
    @Test
    void theOptionsSpellingsParse() {
        assertEquals(Batching.UNIFORM, Batching.parse("uniform"));
        assertEquals(Batching.LENGTH_BUCKETS, Batching.parse("length-buckets"));
        assertEquals(Batching.LENGTH_BUCKETS, Batching.parse("Length-Buckets"));
    }

    @Test
    void aMisspeltBatchingNamesTheOptionAndItsValidValues() {
        // was Java's "No enum constant dev.seqrec.trainer.training.Batching.BUCKETS"
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Batching.parse("buckets"));
        assertEquals("unknown --batching 'buckets'; valid values: uniform, length-buckets", e.getMessage());
    }

    @Test
    void theEnumsOwnNamesAreNotTheOptionsSpelling() {
        assertThrows(IllegalArgumentException.class, () -> Batching.parse("LENGTH_BUCKETS"));
    }
}
