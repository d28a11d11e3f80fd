package dev.seqrec.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.seqrec.eval.split.EvaluationCases;
import dev.seqrec.eval.split.Split;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsByHistoryLengthTest {
    private static final double EPS = 1e-12;

    /** Histories of lengths 1, 2, 3, 3 and 7; the targets' ranks 1, 30, 3, UNRANKED and 2. */
    private static final EvaluationCases CASES = new EvaluationCases(Split.TEST, new int[] {1, 2, 3, 4, 5},
            new int[][] {{1}, {1, 2}, {1, 2, 3}, {3, 2, 1}, {1, 2, 3, 4, 5, 6, 7}}, new int[] {2, 3, 4, 4, 8});
    private static final int[] RANKS = {1, 30, 3, FullRankingEvaluator.UNRANKED, 2};

    @Test
    void groupsCasesByHistoryLengthAndAveragesEachGroupAtTheCutoff() {
        List<MetricsByHistoryLength.Group> groups = MetricsByHistoryLength.of(CASES, RANKS, 10, List.of(1, 2, 5));
        assertEquals(List.of("1", "2", "3-5", "6+"), groups.stream().map(MetricsByHistoryLength.Group::label).toList());
        assertEquals(List.of(1, 1, 2, 1), groups.stream().map(MetricsByHistoryLength.Group::cases).toList());
        assertEquals(List.of(1.0, 0.0, 0.5, 1.0), groups.stream().map(MetricsByHistoryLength.Group::hr).toList());
        assertEquals(0.5 / 2, groups.get(2).ndcg(), EPS); // rank 3: 1 / log2(4); the unranked case adds nothing
        assertEquals(1 / (Math.log(3) / Math.log(2)), groups.get(3).ndcg(), EPS);
    }

    @Test
    void leavesOutGroupsWithoutCases() {
        List<MetricsByHistoryLength.Group> groups = MetricsByHistoryLength.of(CASES, RANKS, 10, List.of(3, 4, 5, 10));
        assertEquals(List.of("1-3", "6-10"), groups.stream().map(MetricsByHistoryLength.Group::label).toList());
        assertEquals(List.of(4, 1), groups.stream().map(MetricsByHistoryLength.Group::cases).toList());
    }

    @Test
    void refusesGroupEndsThatDoNotAscend() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetricsByHistoryLength.of(CASES, RANKS, 10, List.of(3, 3)));
        assertEquals("upper ends must be positive and strictly ascending, got [3, 3]", e.getMessage());
    }

    @Test
    void pairedGroupsCompareTheModelWithTheBaselineOnEachGroupsCases() {
        // only group 3-5 holds two cases: baseline ranks 3 and UNRANKED, model ranks 1 and 1
        List<MetricsByHistoryLength.PairedGroup> groups = MetricsByHistoryLength.paired(CASES, RANKS,
                new int[] {1, 5, 1, 1, 2}, 10, List.of(1, 2, 5));
        assertEquals(1, groups.size());
        MetricsByHistoryLength.PairedGroup group = groups.get(0);
        assertEquals("3-5", group.group().label());
        assertEquals(1.0, group.group().hr(), EPS);
        assertEquals(1.0, group.group().ndcg(), EPS);
        PairedComparison.Difference hr = group.differences().get(0);
        assertEquals("hr@10", hr.metric());
        // differences (0, 1): standard error 0.5, so t = 1 on one degree of freedom (Cauchy): p = 1 - 2 atan(1) / pi
        assertEquals(0.5, hr.difference(), EPS);
        assertEquals(0.5, hr.pValue(), 1e-9);
        PairedComparison.Difference ndcg = group.differences().get(1);
        assertEquals(0.75, ndcg.difference(), EPS); // differences (0.5, 1): standard error 0.25, so t = 3
        assertEquals(1 - 2 * Math.atan(3) / Math.PI, ndcg.pValue(), 1e-9);
    }
}
