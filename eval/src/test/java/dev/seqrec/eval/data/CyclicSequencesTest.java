package dev.seqrec.eval.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CyclicSequencesTest {
    @TempDir
    Path tmp;

    @Test
    void theRuleWrapsFromTheLastItemToTheFirst() {
        assertEquals(4, CyclicSequences.next(3, 5));
        assertEquals(1, CyclicSequences.next(5, 5));
    }

    @Test
    void everyWrittenHistoryFollowsTheRuleAndReadsBackAsADataset() throws Exception {
        SequenceDataset data = DatasetReader.read(CyclicSequences.write(tmp.resolve("cyclic.txt"), 20, 5, 3));
        assertEquals(20, data.numUsers());
        for (int[] sequence : data.sequences()) {
            assertTrue(sequence.length >= CyclicSequences.MIN_LENGTH && sequence.length <= CyclicSequences.MAX_LENGTH,
                    "length " + sequence.length);
            for (int i = 1; i < sequence.length; i++) {
                int previous = Integer.parseInt(data.items().externalId(sequence[i - 1]));
                int current = Integer.parseInt(data.items().externalId(sequence[i]));
                assertEquals(CyclicSequences.next(previous, 5), current);
            }
        }
    }
}
