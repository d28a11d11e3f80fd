package dev.seqrec.eval;

import java.util.List;

/**
 * How {@link FullRankingEvaluator} ranks and what it reports.
 *
 * @param cutoffs      the k of HR@k, NDCG@k and MRR@k, ascending
 * @param excludeSeen  serving-style ranking: every item the user interacted with before the target (the whole prefix,
 *                     {@link dev.seqrec.eval.split.EvaluationCases#seen()}, not only the capped history the scorer
 *                     reads) is removed from the candidates, and a target among them counts as a miss at every cutoff.
 *                     Off for the reference protocol.
 * @param showProgress draw a progress bar on stderr while evaluating
 */
public record EvaluationOptions(List<Integer> cutoffs, boolean excludeSeen, boolean showProgress) {
    public static final List<Integer> DEFAULT_CUTOFFS = List.of(5, 10, 20, 50);
    /** The reference protocol (mclrec-spec section 3) with a progress bar. */
    public static final EvaluationOptions DEFAULTS = new EvaluationOptions(DEFAULT_CUTOFFS, false, true);

    public EvaluationOptions {
        cutoffs = List.copyOf(cutoffs);
        if (cutoffs.isEmpty()) {
            throw new IllegalArgumentException("at least one cutoff is needed");
        }
        for (int i = 0; i < cutoffs.size(); i++) {
            if (cutoffs.get(i) < 1 || (i > 0 && cutoffs.get(i) <= cutoffs.get(i - 1))) {
                throw new IllegalArgumentException("cutoffs must be positive and strictly ascending, got " + cutoffs);
            }
        }
    }

    public EvaluationOptions withExcludeSeen(boolean exclude) {
        return new EvaluationOptions(cutoffs, exclude, showProgress);
    }

    public EvaluationOptions withProgress(boolean show) {
        return new EvaluationOptions(cutoffs, excludeSeen, show);
    }

    public EvaluationOptions withCutoffs(List<Integer> ks) {
        return new EvaluationOptions(ks, excludeSeen, showProgress);
    }
}
