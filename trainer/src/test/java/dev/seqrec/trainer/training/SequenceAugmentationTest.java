package dev.seqrec.trainer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SequenceAugmentationTest {
    private static final SequenceAugmentation SPEC = new SequenceAugmentation(0.5, 0.5, 0.8);
    private static final int[] TEN = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

    @Test
    void cropKeepsHalfOfTheItemsConsecutively() {
        Random random = new Random(1);
        for (int trial = 0; trial < 50; trial++) {
            int[] view = SPEC.apply(SequenceAugmentation.Operator.CROP, TEN, random);
            assertEquals(5, view.length);
            for (int i = 1; i < view.length; i++) {
                assertEquals(view[i - 1] + 1, view[i]);
            }
        }
    }

    @Test
    void maskBlanksHalfOfThePositionsAndKeepsTheLength() {
        int[] view = SPEC.apply(SequenceAugmentation.Operator.MASK, TEN, new Random(2));
        assertEquals(10, view.length);
        assertEquals(5, Arrays.stream(view).filter(v -> v == 0).count());
        for (int i = 0; i < 10; i++) {
            assertTrue(view[i] == 0 || view[i] == TEN[i]);
        }
    }

    @Test
    void reorderShufflesOnlyAWindowOfEightItems() {
        Random random = new Random(3);
        for (int trial = 0; trial < 50; trial++) {
            int[] view = SPEC.apply(SequenceAugmentation.Operator.REORDER, TEN, random);
            int[] sorted = view.clone();
            Arrays.sort(sorted);
            assertArrayEquals(TEN, sorted);
            long moved = java.util.stream.IntStream.range(0, 10).filter(i -> view[i] != TEN[i]).count();
            assertTrue(moved <= 8);
            // outside the window nothing moves: the moved positions span at most 8 columns
            int first = -1;
            int last = -1;
            for (int i = 0; i < 10; i++) {
                if (view[i] != TEN[i]) {
                    last = i;
                    first = first < 0 ? i : first;
                }
            }
            assertTrue(first < 0 || last - first < 8);
        }
    }

    @Test
    void twoViewsUseTwoDifferentOperatorsCoveringAllSixPairs() {
        Random random = new Random(4);
        Set<String> pairs = new HashSet<>();
        for (int trial = 0; trial < 600; trial++) {
            int[][] views = SPEC.twoViews(TEN, random);
            String a = kind(views[0]);
            String b = kind(views[1]);
            if (!a.equals("unknown") && !b.equals("unknown")) {
                assertNotEquals(a, b);
                pairs.add(a + "," + b);
            }
        }
        assertEquals(6, pairs.size(), pairs.toString());
    }

    @Test
    void aSingleItemHistoryGivesTwoUnchangedViews() {
        int[][] views = SPEC.twoViews(new int[] {7}, new Random(5));
        assertArrayEquals(new int[] {7}, views[0]);
        assertArrayEquals(new int[] {7}, views[1]);
    }

    @Test
    void twoItemsGiveACropOfOneAndAMaskOfOne() {
        Random random = new Random(6);
        assertEquals(1, SPEC.apply(SequenceAugmentation.Operator.CROP, new int[] {4, 5}, random).length);
        int[] masked = SPEC.apply(SequenceAugmentation.Operator.MASK, new int[] {4, 5}, random);
        assertEquals(1, Arrays.stream(masked).filter(v -> v == 0).count());
    }

    /** Which operator made a view of TEN: crop shortens, mask blanks, reorder permutes (identity is ambiguous). */
    private static String kind(int[] view) {
        if (view.length < TEN.length) {
            return "crop";
        }
        if (Arrays.stream(view).anyMatch(v -> v == 0)) {
            return "mask";
        }
        return Arrays.equals(view, TEN) ? "unknown" : "reorder";
    }
}
