package dev.seqrec.eval.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seqrec.eval.BeautyData;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class BeautyDatasetTest {

    @Test
    void sequenceTextHasTheDocumentedCounts() {
        SequenceDataset beauty = BeautyData.dataset();
        assertEquals("beauty", beauty.name());
        assertEquals(22_363, beauty.numUsers());
        assertEquals(12_101, beauty.numItems());
        assertEquals(198_502, beauty.numInteractions());
    }

    @Test
    void itemIdsMapToThemselvesBecauseItemsFirstAppearInOrder() {
        SequenceDataset beauty = BeautyData.dataset();
        for (int id = 1; id <= beauty.numItems(); id++) {
            assertEquals(String.valueOf(id), beauty.items().externalId(id));
        }
    }

    @Test
    void atomicInterGivesTheSameSequencesAsTheSequenceText() throws IOException {
        SequenceDataset inter = DatasetReader.read(BeautyData.inter());
        assertArrayEquals(BeautyData.dataset().sequences(), inter.sequences());
    }

    @Test
    void theReferenceKCoreRemovesNothingFromBeauty() throws IOException {
        SequenceDataset filtered = DatasetReader.read(BeautyData.txt(),
                ReadOptions.DEFAULTS.withKCore(ReadOptions.REFERENCE_K_CORE, ReadOptions.REFERENCE_K_CORE));
        assertArrayEquals(BeautyData.dataset().sequences(), filtered.sequences());
    }
}
