package dev.seqrec.eval;

import dev.seqrec.eval.split.EvaluationCases;
import dev.seqrec.report.ProgressBar;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ranks each case's target among all N items by a {@link NextItemScorer}'s scores and averages HR, NDCG and MRR at
 * each cutoff over all cases (mclrec-spec section 3).
 *
 * <p>Rank = 1 + the number of items with a strictly higher score + the number of items with an equal score and a
 * smaller id (this project's tie rule). Column 0 (padding) is never a candidate. Ranks are counted, not sorted:
 * O(N) per case, with score buffers reused across batches.
 */
public final class FullRankingEvaluator {
    /** Rank of a target that cannot be recommended at all (excluded as seen); beyond every cutoff. */
    public static final int UNRANKED = Integer.MAX_VALUE;

    private final EvaluationOptions options;

    public FullRankingEvaluator(EvaluationOptions options) {
        this.options = options;
    }

    public FullRankingEvaluator() {
        this(EvaluationOptions.DEFAULTS);
    }

    public EvaluationOptions options() {
        return options;
    }

    /** Evaluates {@code scorer} on every case and names the result after {@code dataset}. */
    public EvaluationResult evaluate(String dataset, EvaluationCases cases, NextItemScorer scorer) {
        return result(dataset, cases, scorer, ranks(cases, scorer));
    }

    /** The result of ranks that {@link #ranks} gave for {@code scorer} on {@code cases}. */
    public EvaluationResult result(String dataset, EvaluationCases cases, NextItemScorer scorer, int[] ranks) {
        return new EvaluationResult(dataset, cases.split().label(), scorer.name(), cases.size(), scorer.numItems(),
                metrics(ranks, options.cutoffs()));
    }

    /** The rank of each case's target, or {@link #UNRANKED}. */
    public int[] ranks(EvaluationCases cases, NextItemScorer scorer) {
        int numItems = scorer.numItems();
        int batchSize = Math.max(1, Math.min(scorer.batchSize(), Math.max(1, cases.size())));
        float[][] scoreBuffer = new float[batchSize][numItems + 1];
        int[] seenStamp = options.excludeSeen() ? new int[numItems + 1] : null;
        int[] ranks = new int[cases.size()];
        ProgressBar progress = options.showProgress()
                ? ProgressBar.start("eval " + scorer.name() + " " + cases.split().label(), cases.size()) : null;
        try {
            for (int start = 0; start < cases.size(); start += batchSize) {
                int count = Math.min(batchSize, cases.size() - start);
                int[][] histories = new int[count][];
                System.arraycopy(cases.histories(), start, histories, 0, count);
                float[][] scores = count == batchSize ? scoreBuffer : Arrays.copyOf(scoreBuffer, count);
                scorer.score(histories, scores);
                for (int b = 0; b < count; b++) {
                    int c = start + b;
                    ranks[c] = rank(scores[b], cases.targets()[c], numItems, scorer,
                            seenStamp == null ? null : histories[b], seenStamp, c + 1);
                }
                if (progress != null) {
                    progress.advance(count);
                }
            }
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
        return ranks;
    }

    private static int rank(float[] scores, int target, int numItems, NextItemScorer scorer, int[] history,
                            int[] seenStamp, int stamp) {
        if (target < 1 || target > numItems) {
            throw new IllegalArgumentException("target item " + target + " is outside 1.." + numItems);
        }
        float targetScore = scores[target];
        if (Float.isNaN(targetScore)) {
            throw new IllegalStateException("scorer '" + scorer.name() + "' gave NaN as the score of item " + target);
        }
        int ahead = 0;
        for (int j = 1; j < target; j++) {
            if (scores[j] >= targetScore) {
                ahead++;
            }
        }
        for (int j = target + 1; j <= numItems; j++) {
            if (scores[j] > targetScore) {
                ahead++;
            }
        }
        if (history != null) {
            // Seen items are no candidates: take back those counted ahead of the target, once each.
            for (int item : history) {
                if (item == target) {
                    return UNRANKED;
                }
                if (seenStamp[item] == stamp) {
                    continue;
                }
                seenStamp[item] = stamp;
                if (item < target ? scores[item] >= targetScore : scores[item] > targetScore) {
                    ahead--;
                }
            }
        }
        return ahead + 1;
    }

    /** HR, NDCG and MRR at each cutoff, averaged over the ranks, keyed "hr@k", "ndcg@k", "mrr@k" in cutoff order. */
    public static Map<String, Double> metrics(int[] ranks, List<Integer> cutoffs) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        int n = Math.max(1, ranks.length);
        for (int k : cutoffs) {
            for (RankMetric metric : RankMetric.values()) {
                double sum = 0;
                for (int rank : ranks) {
                    sum += metric.value(rank, k);
                }
                metrics.put(metric.key(k), sum / n);
            }
        }
        return metrics;
    }
}
