package dev.seqrec.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class PairedComparisonTest {
    private static final double EPS = 1e-12;

    /** Four cases; the model moves case 2's target from rank 5 to 2 and case 3's from 20 to 30, the rest equal. */
    private static final int[] BASELINE = {1, 5, 20, 3};
    private static final int[] MODEL = {1, 2, 30, 3};

    private static PairedComparison.Difference metric(List<PairedComparison.Difference> all, String key) {
        return all.stream().filter(d -> d.metric().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void givesEveryMetricAtEveryCutoffInTheEvaluatorsOrder() {
        List<PairedComparison.Difference> all = PairedComparison.of(BASELINE, MODEL, List.of(3, 10));
        assertEquals(List.copyOf(FullRankingEvaluator.metrics(BASELINE, List.of(3, 10)).keySet()),
                all.stream().map(PairedComparison.Difference::metric).toList());
    }

    @Test
    void reportsEachModelsMeanAsTheEvaluatorComputesIt() {
        List<PairedComparison.Difference> all = PairedComparison.of(BASELINE, MODEL, List.of(10));
        var baseline = FullRankingEvaluator.metrics(BASELINE, List.of(10));
        var model = FullRankingEvaluator.metrics(MODEL, List.of(10));
        for (PairedComparison.Difference d : all) {
            assertEquals(baseline.get(d.metric()), d.baseline(), EPS, d.metric());
            assertEquals(model.get(d.metric()), d.model(), EPS, d.metric());
        }
    }

    @Test
    void equalValuesInEveryCaseGiveNoDifferenceAndPOne() {
        PairedComparison.Difference hr = metric(PairedComparison.of(BASELINE, MODEL, List.of(10)), "hr@10");
        assertEquals(0, hr.difference(), EPS);
        assertEquals(0, hr.low(), EPS);
        assertEquals(0, hr.high(), EPS);
        assertEquals(1, hr.pValue(), EPS);
        assertEquals(0, hr.better());
        assertEquals(0, hr.worse());
    }

    @Test
    void oneDifferingCaseOfNIsOneStandardErrorFromZero() {
        // d = (0, x, 0, 0): mean x / 4, sample variance x^2 / 4, standard error x / 4: t = 1 on 3 degrees of
        // freedom, p = 2 pt(-1, 3) = 0.3910022, interval mean -+ qt(0.975, 3) = 3.1824463 standard errors
        PairedComparison.Difference ndcg = metric(PairedComparison.of(BASELINE, MODEL, List.of(10)), "ndcg@10");
        double x = Math.log(2) / Math.log(3) - Math.log(2) / Math.log(6);
        assertEquals(x / 4, ndcg.difference(), EPS);
        assertEquals(x / 4 - 3.182446305 * x / 4, ndcg.low(), 1e-9);
        assertEquals(x / 4 + 3.182446305 * x / 4, ndcg.high(), 1e-9);
        assertEquals(0.3910022190, ndcg.pValue(), 1e-9);
        assertEquals(1, ndcg.better());
        assertEquals(0, ndcg.worse());
    }

    @Test
    void theSameGainInEveryCaseIsCertain() {
        List<PairedComparison.Difference> all = PairedComparison.of(new int[] {2, 2, 2}, new int[] {1, 1, 1}, List.of(5));
        PairedComparison.Difference mrr = metric(all, "mrr@5");
        assertEquals(0.5, mrr.difference(), EPS);
        assertEquals(0.5, mrr.low(), EPS);
        assertEquals(0, mrr.pValue(), EPS);
        assertEquals(3, mrr.better());
    }

    @Test
    void unrankedTargetsCountAsMisses() {
        int[] unranked = {FullRankingEvaluator.UNRANKED, FullRankingEvaluator.UNRANKED};
        PairedComparison.Difference hr = metric(PairedComparison.of(unranked, new int[] {1, 50}, List.of(10)), "hr@10");
        assertEquals(0.5, hr.difference(), EPS);
        assertEquals(1, hr.better());
    }

    @Test
    void refusesRanksOfDifferentCases() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairedComparison.of(new int[] {1, 2}, new int[] {1, 2, 3}, List.of(10)));
        assertEquals("ranks of different cases: 2 and 3", e.getMessage());
    }

    @Test
    void refusesFewerThanTwoCases() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairedComparison.of(new int[] {1}, new int[] {1}, List.of(10)));
        assertEquals("a paired comparison needs at least 2 cases, got 1", e.getMessage());
    }
}
