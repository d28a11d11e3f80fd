package dev.seqrec.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.seqrec.eval.split.EvaluationCases;
import dev.seqrec.eval.split.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FullRankingEvaluatorTest {
    private static final double EPS = 1e-12;
    /** Items 1..5; items 1, 3 and 4 tie at 0.5; item 2 is best; column 0 (padding) is highest but never counts. */
    private static final float[] TIED = {9f, 0.5f, 0.9f, 0.5f, 0.5f, 0.1f};

    private static final FullRankingEvaluator EVALUATOR =
            new FullRankingEvaluator(EvaluationOptions.DEFAULTS.withProgress(false));

    private static EvaluationCases cases(int[][] histories, int... targets) {
        int[] users = new int[targets.length];
        for (int i = 0; i < users.length; i++) {
            users[i] = i + 1;
        }
        return new EvaluationCases(Split.TEST, users, histories, targets);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Test
    void equalScoresRankTheSmallerItemIdFirst() {
        // target 4: item 2 scores higher, items 1 and 3 tie with it and have smaller ids -> rank 4
        // target 1: only item 2 is higher; the tied items 3 and 4 have larger ids -> rank 2
        // target 5: every other item is higher -> rank 5
        int[] ranks = EVALUATOR.ranks(cases(new int[][] {{1}, {2}, {3}}, 4, 1, 5), new FixedScoresScorer(TIED));
        assertArrayEquals(new int[] {4, 2, 5}, ranks);
    }

    @Test
    void metricsAreAveragedOverCasesAtEachCutoff() {
        EvaluationResult result = EVALUATOR.evaluate("tiny", cases(new int[][] {{5}, {5}}, 2, 4), new FixedScoresScorer(TIED));
        // ranks 1 and 4
        assertEquals(1.0, result.metric("hr@5"), EPS);
        assertEquals((1 + 1 / log2(5)) / 2, result.metric("ndcg@5"), EPS);
        assertEquals((1 + 1.0 / 4) / 2, result.metric("mrr@5"), EPS);
        assertEquals(2, result.users());
        assertEquals(5, result.items());
        assertEquals("test", result.split());
        assertEquals("fixed", result.model());
    }

    @Test
    void aTargetBeyondTheCutoffScoresZeroThere() {
        FullRankingEvaluator small = new FullRankingEvaluator(
                new EvaluationOptions(List.of(1, 3), false, false));
        Map<String, Double> metrics = small.evaluate("tiny", cases(new int[][] {{5}, {5}}, 2, 4), new FixedScoresScorer(TIED)).metrics();
        assertEquals(List.of("hr@1", "ndcg@1", "mrr@1", "hr@3", "ndcg@3", "mrr@3"), List.copyOf(metrics.keySet()));
        assertEquals(0.5, metrics.get("hr@1"), EPS);
        assertEquals(0.5, metrics.get("ndcg@1"), EPS);
        assertEquals(0.5, metrics.get("hr@3"), EPS); // rank 4 misses @3
        assertEquals(0.5, metrics.get("mrr@3"), EPS);
    }

    @Test
    void historyItemsStayCandidatesByDefault() {
        assertArrayEquals(new int[] {4}, EVALUATOR.ranks(cases(new int[][] {{2, 3}}, 4), new FixedScoresScorer(TIED)));
    }

    @Test
    void excludeSeenRemovesEachHistoryItemOnceFromTheCandidates() {
        FullRankingEvaluator serving = new FullRankingEvaluator(EvaluationOptions.DEFAULTS.withProgress(false).withExcludeSeen(true));
        // target 4 after {2, 3}: the better item 2 and the tied smaller item 3 are gone -> rank 2
        // after {2, 2}: item 2 is gone once, item 1 and 3 still tie ahead -> rank 3
        int[] ranks = serving.ranks(cases(new int[][] {{2, 3}, {2, 2}}, 4, 4), new FixedScoresScorer(TIED));
        assertArrayEquals(new int[] {2, 3}, ranks);
    }

    @Test
    void excludeSeenRefusesASeenItemOutsideTheScorersItemsNamingTheCase() {
        FullRankingEvaluator serving = new FullRankingEvaluator(EvaluationOptions.DEFAULTS.withProgress(false).withExcludeSeen(true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> serving.ranks(cases(new int[][] {{1}, {2, 7}}, 4, 4), new FixedScoresScorer(TIED)));
        assertEquals("seen item 7 of case 2 (dense user id 2) is outside the items 1..5 of scorer 'fixed' "
                + "(cases and scorer from different datasets?)", e.getMessage());
    }

    @Test
    void excludeSeenCountsASeenTargetAsAMiss() {
        FullRankingEvaluator serving = new FullRankingEvaluator(EvaluationOptions.DEFAULTS.withProgress(false).withExcludeSeen(true));
        EvaluationResult result = serving.evaluate("tiny", cases(new int[][] {{1, 4}}, 4), new FixedScoresScorer(TIED));
        assertEquals(0.0, result.metric("hr@50"), EPS);
        assertEquals(FullRankingEvaluator.UNRANKED, serving.ranks(cases(new int[][] {{1, 4}}, 4), new FixedScoresScorer(TIED))[0]);
    }

    @Test
    void aSeenTargetIsAMissEvenAtTheLargestCutoff() {
        EvaluationOptions options = new EvaluationOptions(List.of(5, Integer.MAX_VALUE), true, false);
        int[] ranks = new FullRankingEvaluator(options).ranks(cases(new int[][] {{1, 4}}, 4),
                new FixedScoresScorer(TIED));
        assertEquals(0.0, FullRankingEvaluator.metrics(ranks, options.cutoffs()).get("hr@" + Integer.MAX_VALUE));
    }

    @Test
    void excludeSeenRemovesItemsSeenBeforeTheCappedHistoryToo() {
        FullRankingEvaluator serving = new FullRankingEvaluator(EvaluationOptions.DEFAULTS.withProgress(false).withExcludeSeen(true));
        // the scorer reads {3}; the user also saw the better item 2 before: both are gone -> rank 2
        EvaluationCases capped = new EvaluationCases(Split.TEST, new int[] {1}, new int[][] {{3}}, new int[] {4},
                new int[][] {{2, 3}});
        assertArrayEquals(new int[] {2}, serving.ranks(capped, new FixedScoresScorer(TIED)));
    }

    @Test
    void excludeSeenCountsATargetSeenOnlyBeforeTheCappedHistoryAsAMiss() {
        FullRankingEvaluator serving = new FullRankingEvaluator(EvaluationOptions.DEFAULTS.withProgress(false).withExcludeSeen(true));
        EvaluationCases capped = new EvaluationCases(Split.TEST, new int[] {1}, new int[][] {{3}}, new int[] {2},
                new int[][] {{2, 1, 3}});
        assertArrayEquals(new int[] {FullRankingEvaluator.UNRANKED}, serving.ranks(capped, new FixedScoresScorer(TIED)));
    }

    @Test
    void theScorerReadsOnlyTheCappedHistory() {
        List<int[]> read = new ArrayList<>();
        NextItemScorer recording = new FixedScoresScorer(TIED) {
            @Override
            public void score(int[][] histories, float[][] scores) {
                read.addAll(List.of(histories));
                super.score(histories, scores);
            }
        };
        FullRankingEvaluator serving = new FullRankingEvaluator(EvaluationOptions.DEFAULTS.withProgress(false).withExcludeSeen(true));
        serving.ranks(new EvaluationCases(Split.TEST, new int[] {1}, new int[][] {{3}}, new int[] {4},
                new int[][] {{2, 3}}), recording);
        assertArrayEquals(new int[][] {{3}}, read.toArray(int[][]::new));
    }

    @Test
    void casesAreScoredInBatchesOfTheScorersSizeAndGiveTheSameRanks() {
        int[][] histories = {{1}, {1}, {1}, {1}, {1}};
        int[] targets = {1, 2, 3, 4, 5};
        FixedScoresScorer byTwo = new FixedScoresScorer(2, TIED);
        int[] batched = EVALUATOR.ranks(cases(histories, targets), byTwo);
        assertEquals(List.of(2, 2, 1), byTwo.batches);
        assertArrayEquals(EVALUATOR.ranks(cases(histories, targets), new FixedScoresScorer(TIED)), batched);
    }

    @Test
    void aNaNTargetScoreIsAnErrorNamingTheCaseAndItsUser() {
        FixedScoresScorer broken = new FixedScoresScorer(0f, Float.NaN, 1f);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EVALUATOR.ranks(cases(new int[][] {{2}}, 1), broken));
        assertEquals("scorer 'fixed' gave NaN as the score of 1 of 2 items (item 1 first, the target 1 among them) "
                + "in case 1 (dense user id 1); NaN cannot be ranked (a diverged model?)", e.getMessage());
    }

    @Test
    void aNaNScoreOfAnyOtherItemIsAnErrorNamingTheCaseItsUserAndHowManyItems() {
        // every item but the target 3 is NaN: counted behind the target, it would rank first at every cutoff
        FixedScoresScorer diverged = new FixedScoresScorer(0f, Float.NaN, Float.NaN, 0f, Float.NaN, Float.NaN);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EVALUATOR.ranks(cases(new int[][] {{1}, {1}}, 3, 3), diverged));
        assertEquals("scorer 'fixed' gave NaN as the score of 4 of 5 items (item 1 first) in case 1 (dense user id 1); "
                + "NaN cannot be ranked (a diverged model?)", e.getMessage());
    }

    @Test
    void aNaNScoreOfAnItemAfterTheTargetIsAnErrorToo() {
        FixedScoresScorer broken = new FixedScoresScorer(0f, 1f, 0.5f, Float.NaN);
        assertThrows(IllegalStateException.class, () -> EVALUATOR.ranks(cases(new int[][] {{1}}, 1), broken));
    }

    @Test
    void aTargetOutsideTheScorersItemsIsAnErrorNamingTheCaseItsUserAndTheScorersItems() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EVALUATOR.ranks(cases(new int[][] {{1}, {1}}, 2, 6), new FixedScoresScorer(TIED)));
        assertEquals("target item 6 of case 2 (dense user id 2) is outside the items 1..5 of scorer 'fixed' "
                + "(cases and scorer from different datasets?)", e.getMessage());
    }
}
