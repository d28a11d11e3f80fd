package dev.seqrec.eval;

import dev.seqrec.eval.split.EvaluationCases;
import dev.seqrec.report.ProgressBar;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ranks each case's target among all N items by a {@link NextItemScorer}'s scores and averages HR, NDCG and MRR at
 * each cutoff over all cases (mclrec-spec section 3).
 *
 * <p>Rank = 1 + the number of items with a strictly higher score + the number of items with an equal score and a
 * smaller id (this project's tie rule). Column 0 (padding) is never a candidate. Ranks are counted, not sorted:
 * O(N) per case, with score buffers reused across batches.
 *
 * <p>A NaN score for any candidate, the target or another item, is an error ({@link IllegalStateException} naming the
 * scorer and the user): NaN compares neither above nor below the target, so counting it as behind would inflate a
 * partly diverged model's figures, and ahead would report a ranking the scorer never gave.
 *
 * <p>With {@link EvaluationOptions#excludeSeen()}, every item the user interacted with before the target
 * ({@link EvaluationCases#seen()}, the whole prefix, not only the capped history the scorer reads) is removed from
 * the candidates, and a target among them is {@link #UNRANKED}.
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

    /**
     * The rank of each case's target, or {@link #UNRANKED}.
     *
     * @throws IllegalStateException when the scorer gives NaN to any item of a case (the target or another, as a
     *                               diverged model does), naming the scorer, the case, its user and how many items
     * @throws IllegalArgumentException when a case's target is not one of the scorer's items, naming the case
     */
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
                    ranks[c] = rank(scores[b], cases.targets()[c], numItems, scorer, c, cases.users()[c],
                            seenStamp == null ? null : cases.seen()[c], seenStamp);
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

    /**
     * The target's rank among items 1..numItems; {@code seen} (null = keep every item) are no candidates, and a
     * target among them is {@link #UNRANKED}.
     */
    private static int rank(float[] scores, int target, int numItems, NextItemScorer scorer, int c, int user,
                            int[] seen, int[] seenStamp) {
        if (target < 1 || target > numItems) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "target item %d of case %d (dense user id "
                    + "%d) is outside the items 1..%d of scorer '%s' (cases and scorer from different datasets?)",
                    target, c + 1, user, numItems, scorer.name()));
        }
        float targetScore = scores[target];
        if (Float.isNaN(targetScore)) {
            throw nanScores(scores, target, numItems, scorer, c, user);
        }
        int ahead = 0;
        boolean nan = false;
        for (int j = 1; j < target; j++) {
            float score = scores[j];
            if (score >= targetScore) {
                ahead++;
            } else if (score != score) { // NaN: neither above nor below the target
                nan = true;
            }
        }
        for (int j = target + 1; j <= numItems; j++) {
            float score = scores[j];
            if (score > targetScore) {
                ahead++;
            } else if (score != score) {
                nan = true;
            }
        }
        if (nan) {
            throw nanScores(scores, target, numItems, scorer, c, user);
        }
        if (seen != null) {
            int stamp = c + 1;
            // Seen items are no candidates: take back those counted ahead of the target, once each.
            for (int item : seen) {
                if (item == target) {
                    return UNRANKED;
                }
                if (item < 1 || item > numItems) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "seen item %d of case %d (dense "
                            + "user id %d) is outside the items 1..%d of scorer '%s' (cases and scorer from different "
                            + "datasets?)", item, c + 1, user, numItems, scorer.name()));
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

    private static IllegalStateException nanScores(float[] scores, int target, int numItems, NextItemScorer scorer,
                                                   int c, int user) {
        int count = 0;
        int first = 0;
        for (int j = numItems; j >= 1; j--) {
            if (Float.isNaN(scores[j])) {
                count++;
                first = j;
            }
        }
        return new IllegalStateException(String.format(Locale.ROOT,
                "scorer '%s' gave NaN as the score of %d of %d items (item %d first%s) in case %d (dense user id %d); "
                        + "NaN cannot be ranked (a diverged model?)", scorer.name(), count, numItems, first,
                Float.isNaN(scores[target]) ? ", the target " + target + " among them" : "", c + 1, user));
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
