package dev.seqrec.eval;

/** A case's value of a cutoff metric, given its target's rank; a metric of a model is the mean over its cases. */
public enum RankMetric {
    HR("hr"), NDCG("ndcg"), MRR("mrr");

    private static final double LN2 = Math.log(2);

    private final String label;

    RankMetric(String label) {
        this.label = label;
    }

    /** The value for one case whose target has {@code rank}: 1 is first, {@link FullRankingEvaluator#UNRANKED} a miss. */
    public double value(int rank, int k) {
        if (rank > k || rank == FullRankingEvaluator.UNRANKED) { // a miss even at a cutoff of Integer.MAX_VALUE
            return 0;
        }
        return switch (this) {
            case HR -> 1;
            case NDCG -> LN2 / Math.log(rank + 1.0);
            case MRR -> 1.0 / rank;
        };
    }

    /** "hr@10", the key of the metric at cutoff {@code k} in results and reports. */
    public String key(int k) {
        return label + "@" + k;
    }
}
