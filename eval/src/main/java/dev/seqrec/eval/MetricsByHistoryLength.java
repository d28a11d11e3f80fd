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
     * The groups that hold at least one case, shortest first.
     *
     * @param ranks     each case's target rank, as {@link FullRankingEvaluator#ranks} gives them
     * @param k         the cutoff of HR and NDCG
     * @param upperEnds upper ends of the groups, strictly ascending; longer histories form one last group
     */
    public static List<Group> of(EvaluationCases cases, int[] ranks, int k, List<Integer> upperEnds) {
        if (ranks.length != cases.size()) {
            throw new IllegalArgumentException(ranks.length + " ranks for " + cases.size() + " cases");
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
        int[] groupOf = new int[ranks.length];
        int[] counts = new int[groups];
        for (int c = 0; c < ranks.length; c++) {
            groupOf[c] = group(cases.histories()[c].length, upperEnds);
            counts[groupOf[c]]++;
        }
        int[][] groupRanks = new int[groups][];
        for (int g = 0; g < groups; g++) {
            groupRanks[g] = new int[counts[g]];
        }
        int[] filled = new int[groups];
        for (int c = 0; c < ranks.length; c++) {
            groupRanks[groupOf[c]][filled[groupOf[c]]++] = ranks[c];
        }
        List<Group> result = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            if (counts[g] > 0) {
                Map<String, Double> metrics = FullRankingEvaluator.metrics(groupRanks[g], List.of(k));
                int from = g == 0 ? 1 : upperEnds.get(g - 1) + 1;
                int to = g < upperEnds.size() ? upperEnds.get(g) : Integer.MAX_VALUE;
                result.add(new Group(from, to, counts[g], metrics.get("hr@" + k), metrics.get("ndcg@" + k)));
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
