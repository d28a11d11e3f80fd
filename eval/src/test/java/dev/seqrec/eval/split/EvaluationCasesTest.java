package dev.seqrec.eval.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EvaluationCasesTest {
    private static final int[] TWO_USERS = {1, 2};
    private static final int[][] TWO_HISTORIES = {{1}, {1, 2}};
    private static final int[] TWO_TARGETS = {2, 3};

    private static String refusal(int[] users, int[][] histories, int[] targets, int[][] seen) {
        return assertThrows(IllegalArgumentException.class,
                () -> new EvaluationCases(Split.TEST, users, histories, targets, seen)).getMessage();
    }

    @Test
    void fewerHistoriesThanUsersAreRefusedWithEveryLength() {
        assertEquals("users, histories, targets and seen items differ in length: 2, 1, 2, 2",
                refusal(TWO_USERS, new int[][] {{1}}, TWO_TARGETS, TWO_HISTORIES));
    }

    @Test
    void moreTargetsThanUsersAreRefusedWithEveryLength() {
        assertEquals("users, histories, targets and seen items differ in length: 2, 2, 3, 2",
                refusal(TWO_USERS, TWO_HISTORIES, new int[] {2, 3, 4}, TWO_HISTORIES));
    }

    @Test
    void fewerSeenItemListsThanUsersAreRefusedWithEveryLength() {
        assertEquals("users, histories, targets and seen items differ in length: 2, 2, 2, 0",
                refusal(TWO_USERS, TWO_HISTORIES, TWO_TARGETS, new int[0][]));
    }

    @Test
    void withoutSeenItemsTheHistoriesAreTheSeenItems() {
        EvaluationCases cases = new EvaluationCases(Split.VALID, TWO_USERS, TWO_HISTORIES, TWO_TARGETS);
        assertSame(TWO_HISTORIES, cases.seen());
        assertEquals(2, cases.size());
    }
}
