package dev.seqrec.eval.split;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.seqrec.eval.BeautyData;
import dev.seqrec.eval.data.IdMapping;
import dev.seqrec.eval.data.SequenceDataset;
import org.junit.jupiter.api.Test;

class LeaveOneOutSplitTest {

    private static SequenceDataset dataset(int[]... sequences) {
        IdMapping users = new IdMapping();
        IdMapping items = new IdMapping();
        int maxItem = 0;
        for (int u = 0; u < sequences.length; u++) {
            users.getOrAdd("u" + (u + 1));
            for (int item : sequences[u]) {
                maxItem = Math.max(maxItem, item);
            }
        }
        for (int i = 1; i <= maxItem; i++) {
            items.getOrAdd("i" + i);
        }
        return new SequenceDataset("tiny", users, items, sequences);
    }

    private final LeaveOneOutSplit split = new LeaveOneOutSplit();

    @Test
    void testCaseIsTheLastItemAfterEverythingBeforeIt() {
        EvaluationCases test = split.cases(dataset(new int[] {1, 2, 3, 4, 5}), Split.TEST);
        assertEquals(Split.TEST, test.split());
        assertArrayEquals(new int[] {1}, test.users());
        assertArrayEquals(new int[][] {{1, 2, 3, 4}}, test.histories());
        assertArrayEquals(new int[] {5}, test.targets());
    }

    @Test
    void validationCaseIsTheSecondToLastItemAfterEverythingBeforeIt() {
        EvaluationCases valid = split.cases(dataset(new int[] {1, 2, 3, 4, 5}), Split.VALID);
        assertArrayEquals(new int[][] {{1, 2, 3}}, valid.histories());
        assertArrayEquals(new int[] {4}, valid.targets());
    }

    @Test
    void trainingSamplesAreEveryPrefixBeforeTheValidationItem() {
        TrainingSamples train = split.trainingSamples(dataset(new int[] {1, 2, 3, 4, 5}));
        assertArrayEquals(new int[][] {{1}, {1, 2}}, train.histories());
        assertArrayEquals(new int[] {2, 3}, train.targets());
    }

    @Test
    void aUserWithThreeItemsHasBothCasesAndNoTrainingSample() {
        SequenceDataset data = dataset(new int[] {7, 8, 9});
        assertArrayEquals(new int[][] {{7}}, split.cases(data, Split.VALID).histories());
        assertArrayEquals(new int[][] {{7, 8}}, split.cases(data, Split.TEST).histories());
        assertEquals(0, split.trainingSamples(data).size());
    }

    @Test
    void usersWithFewerThanThreeItemsAreLeftOutOfEveryPart() {
        SequenceDataset data = dataset(new int[] {1}, new int[] {1, 2}, new int[] {1, 2, 3, 4});
        assertEquals(2, LeaveOneOutSplit.skippedUsers(data));
        assertArrayEquals(new int[] {3}, split.cases(data, Split.TEST).users());
        assertArrayEquals(new int[] {3}, split.cases(data, Split.VALID).users());
        assertArrayEquals(new int[] {2}, split.trainingSamples(data).targets());
        assertArrayEquals(new int[0], LeaveOneOutSplit.trainingPart(new int[] {1, 2}));
    }

    @Test
    void historiesKeepOnlyTheLastItemsUpToTheCap() {
        LeaveOneOutSplit capped = new LeaveOneOutSplit(2);
        SequenceDataset data = dataset(new int[] {1, 2, 3, 4, 5, 6});
        assertArrayEquals(new int[][] {{4, 5}}, capped.cases(data, Split.TEST).histories());
        assertArrayEquals(new int[][] {{3, 4}}, capped.cases(data, Split.VALID).histories());
        assertArrayEquals(new int[][] {{1}, {1, 2}, {2, 3}}, capped.trainingSamples(data).histories());
    }

    @Test
    void seenItemsAreEverythingBeforeTheTargetBeyondTheHistoryCap() {
        LeaveOneOutSplit capped = new LeaveOneOutSplit(2);
        SequenceDataset data = dataset(new int[] {1, 2, 3, 4, 5, 6});
        EvaluationCases test = capped.cases(data, Split.TEST);
        assertArrayEquals(new int[][] {{4, 5}}, test.histories());
        assertArrayEquals(new int[][] {{1, 2, 3, 4, 5}}, test.seen());
        assertArrayEquals(new int[][] {{1, 2, 3, 4}}, capped.cases(data, Split.VALID).seen());
    }

    @Test
    void seenItemsAreTheHistoryWhereTheCapCutsNothing() {
        EvaluationCases test = split.cases(dataset(new int[] {1, 2, 3, 4, 5}), Split.TEST);
        assertArrayEquals(test.histories(), test.seen());
    }

    @Test
    void aHistoryCapOfZeroIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LeaveOneOutSplit(0));
        assertEquals("maxHistory must be >= 1, got 0", e.getMessage());
    }

    @Test
    void aNegativeHistoryCapIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LeaveOneOutSplit(-3));
        assertEquals("maxHistory must be >= 1, got -3", e.getMessage());
    }

    @Test
    void beautyHasTheDocumentedNumbersOfSamplesAndCases() {
        SequenceDataset beauty = BeautyData.dataset();
        assertEquals(131_413, split.trainingSamples(beauty).size());
        assertEquals(22_363, split.cases(beauty, Split.VALID).size());
        assertEquals(22_363, split.cases(beauty, Split.TEST).size());
    }

    @Test
    void beautyHistoriesAreCappedAtFifty() {
        int longest = 0;
        for (int[] history : split.cases(BeautyData.dataset(), Split.TEST).histories()) {
            longest = Math.max(longest, history.length);
        }
        assertEquals(LeaveOneOutSplit.DEFAULT_MAX_HISTORY, longest);
    }
}
