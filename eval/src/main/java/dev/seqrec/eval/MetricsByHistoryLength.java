package dev.seqrec.eval;

import dev.seqrec.eval.split.EvaluationCases;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HR@k and NDCG@k of the cases grouped by the length of their history: where a model gains or loses against another
 * (short histories are most of the users of the Amazon datasets, and the hardest).
 */
public final class MetricsByHistoryLength {
    /** Upper ends of the default length groups: 1, 2, 3, 4, 5, 6-7, 8-10, 11-15, 16-20, 21-30, 31-50, then 51 and more. */
    public static final List<Integer> DEFAULT_UPPER_ENDS = List.of(1, 2, 3, 4, 5, 7, 10, 15, 20, 30, 50);

    /**
     * One length group.
     *
     * @param from  shortest history length in the group
     * @param to    longest history length in the group, or {@link Integer#MAX_VALUE} for the open last group
     * @param cases cases in the group (one per user)
     * @param hr    HR@k over the group's cases
     * @param ndcg  NDCG@k over the group's cases
     */
    public record Group(int from, int to, int cases, double hr, double ndcg) {
        /** "4", "6-7" or "51+". */
        public String label() {
            if (to == Integer.MAX_VALUE) {
                return from + "+";
            }
            return from == to ? Integer.toString(from) : from + "-" + to;
        }
    }

    private MetricsByHistoryLength() {
    }

    /**
     * One length group of a {@link PairedComparison}: the model's HR@k, NDCG@k and MRR@k against the baseline's on the
     * group's cases.
     *
     * @param group       the group, with the model's own metrics
     * @param differences the group's paired differences at the cutoff, in the order of {@link RankMetric}
     */
    public record PairedGroup(Group group, List<PairedComparison.Difference> differences) {
    }

    /**
     * The groups that hold at least one case, shortest first.
     *
     * @param ranks     each case's target rank, as {@link FullRankingEvaluator#ranks} gives them
     * @param k         the cutoff of HR and NDCG
     * @param upperEnds upper ends of the groups, strictly ascending; longer histories form one last group
     */
    public static List<Group> of(EvaluationCases cases, int[] ranks, int k, List<Integer> upperEnds) {
        List<Group> result = new ArrayList<>();
        for (GroupRanks group : groupRanks(cases, List.of(ranks), k, upperEnds)) {
            Map<String, Double> metrics = FullRankingEvaluator.metrics(group.ranks().get(0), List.of(k));
            result.add(group.summary(metrics, k));
        }
        return result;
    }

    /**
     * The model's metrics against the baseline's in each group that holds at least two cases (a paired comparison
     * needs two), shortest first.
     */
    public static List<PairedGroup> paired(EvaluationCases cases, int[] baselineRanks, int[] modelRanks, int k,
                                           List<Integer> upperEnds) {
        List<PairedGroup> result = new ArrayList<>();
        for (GroupRanks group : groupRanks(cases, List.of(baselineRanks, modelRanks), k, upperEnds)) {
            int[] baseline = group.ranks().get(0);
            int[] model = group.ranks().get(1);
            if (model.length >= 2) {
                result.add(new PairedGroup(group.summary(FullRankingEvaluator.metrics(model, List.of(k)), k),
                        PairedComparison.of(baseline, model, List.of(k))));
            }
        }
        return result;
    }

    /** One group's bounds and, per model, the ranks of its cases. */
    private record GroupRanks(int from, int to, List<int[]> ranks) {
        Group summary(Map<String, Double> metrics, int k) {
            return new Group(from, to, ranks.get(0).length, metrics.get(RankMetric.HR.key(k)),
                    metrics.get(RankMetric.NDCG.key(k)));
        }
    }

    /** The non-empty groups, each with every model's ranks of its cases in case order. */
    private static List<GroupRanks> groupRanks(EvaluationCases cases, List<int[]> modelRanks, int k,
                                               List<Integer> upperEnds) {
        for (int[] ranks : modelRanks) {
            if (ranks.length != cases.size()) {
                throw new IllegalArgumentException(ranks.length + " ranks for " + cases.size() + " cases");
            }
        }
        if (k < 1) {
            throw new IllegalArgumentException("the cutoff must be positive, got " + k);
        }
        for (int i = 0; i < upperEnds.size(); i++) {
            if (upperEnds.get(i) < 1 || (i > 0 && upperEnds.get(i) <= upperEnds.get(i - 1))) {
                throw new IllegalArgumentException("upper ends must be positive and strictly ascending, got " + upperEnds);
            }
        }
        int groups = upperEnds.size() + 1;
        int[] groupOf = new int[cases.size()];
        int[] counts = new int[groups];
        for (int c = 0; c < groupOf.length; c++) {
            groupOf[c] = group(cases.histories()[c].length, upperEnds);
            counts[groupOf[c]]++;
        }
        int[][][] byGroup = new int[groups][modelRanks.size()][];
        for (int g = 0; g < groups; g++) {
            for (int m = 0; m < modelRanks.size(); m++) {
                byGroup[g][m] = new int[counts[g]];
            }
        }
        int[] filled = new int[groups];
        for (int c = 0; c < groupOf.length; c++) {
            int g = groupOf[c];
            for (int m = 0; m < modelRanks.size(); m++) {
                byGroup[g][m][filled[g]] = modelRanks.get(m)[c];
            }
            filled[g]++;
        }
        List<GroupRanks> result = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            if (counts[g] > 0) {
                int from = g == 0 ? 1 : upperEnds.get(g - 1) + 1;
                int to = g < upperEnds.size() ? upperEnds.get(g) : Integer.MAX_VALUE;
                result.add(new GroupRanks(from, to, List.of(byGroup[g])));
            }
        }
        return result;
    }

    private static int group(int length, List<Integer> upperEnds) {
        for (int g = 0; g < upperEnds.size(); g++) {
            if (length <= upperEnds.get(g)) {
                return g;
            }
        }
        return upperEnds.size();
    }
}
