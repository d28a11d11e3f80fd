package dev.seqrec.eval.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.seqrec.eval.BeautyData;
import dev.seqrec.eval.EvaluationOptions;
import dev.seqrec.eval.EvaluationResult;
import dev.seqrec.eval.FullRankingEvaluator;
import dev.seqrec.eval.data.IdMapping;
import dev.seqrec.eval.data.SequenceDataset;
import dev.seqrec.eval.split.LeaveOneOutSplit;
import dev.seqrec.eval.split.Split;
import org.junit.jupiter.api.Test;

class PopularityScorerTest {
    private static final FullRankingEvaluator EVALUATOR =
            new FullRankingEvaluator(EvaluationOptions.DEFAULTS.withProgress(false));

    /** Items 1..5. Training parts: u1 {1, 2, 3}, u2 {2, 2}, u3 {} -> counts 1:1, 2:3, 3:2, 4:0, 5:0. */
    private static SequenceDataset tiny() {
        IdMapping users = new IdMapping();
        IdMapping items = new IdMapping();
        for (String u : new String[] {"u1", "u2", "u3"}) {
            users.getOrAdd(u);
        }
        for (int i = 1; i <= 5; i++) {
            items.getOrAdd(String.valueOf(i));
        }
        return new SequenceDataset("tiny", users, items, new int[][] {{1, 2, 3, 4, 5}, {2, 2, 5, 1}, {3, 4, 1}});
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Test
    void countsOnlyTheTrainingPartOfEachSequence() {
        PopularityScorer pop = PopularityScorer.fit(tiny());
        assertArrayEquals(new long[] {1, 3, 2, 0, 0},
                new long[] {pop.count(1), pop.count(2), pop.count(3), pop.count(4), pop.count(5)});
    }

    /** A float count stops growing at 2^24: item 2 tied with item 1 there and lost the tie. */
    @Test
    void countsBeyondTwoToTheTwentyFourthStayExactAndRankTheMorePopularFirst() {
        int ones = 1 << 24;
        int[] sequence = new int[ones + ones + 4];
        java.util.Arrays.fill(sequence, 0, ones, 1);
        java.util.Arrays.fill(sequence, ones, sequence.length, 2); // 2^24 + 2 in training, then valid and test
        IdMapping items = new IdMapping();
        items.getOrAdd("a");
        items.getOrAdd("b");
        IdMapping users = new IdMapping();
        users.getOrAdd("u");
        SequenceDataset data = new SequenceDataset("large", users, items, new int[][] {sequence});
        PopularityScorer pop = PopularityScorer.fit(data);
        assertArrayEquals(new long[] {ones, ones + 2}, new long[] {pop.count(1), pop.count(2)});
        assertArrayEquals(new int[] {1}, EVALUATOR.ranks(new LeaveOneOutSplit().cases(data, Split.TEST), pop));
    }

    @Test
    void testMetricsOnTinyDataMatchTheHandComputedRanks() {
        SequenceDataset data = tiny();
        EvaluationResult result = EVALUATOR.evaluate("tiny", new LeaveOneOutSplit().cases(data, Split.TEST),
                PopularityScorer.fit(data));
        // u1 -> 5: items 1, 2, 3 score higher, item 4 ties with a smaller id -> rank 5
        // u2 -> 1 and u3 -> 1: items 2 and 3 score higher -> rank 3
        assertEquals(1.0, result.metric("hr@5"), 1e-12);
        assertEquals(1.0, result.metric("hr@10"), 1e-12);
        assertEquals((1 / log2(6) + 2 / log2(4)) / 3, result.metric("ndcg@5"), 1e-12);
        assertEquals((1.0 / 5 + 2.0 / 3) / 3, result.metric("mrr@5"), 1e-12);
    }

    @Test
    void beautyTestSplitMatchesTheAcceptanceNumbers() {
        SequenceDataset beauty = BeautyData.dataset();
        EvaluationResult result = EVALUATOR.evaluate(beauty.name(), new LeaveOneOutSplit().cases(beauty, Split.TEST),
                PopularityScorer.fit(beauty));
        assertEquals(0.011447, result.metric("hr@10"), 1e-6);
        assertEquals(0.005347, result.metric("ndcg@10"), 1e-6);
        assertEquals(22_363, result.users());
        assertEquals(12_101, result.items());
    }

    @Test
    void unknownBaselineNamesAreRejectedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Baselines.fit("sasrec", tiny()));
        assertEquals("unknown model 'sasrec'; known baselines: pop", e.getMessage());
    }
}
