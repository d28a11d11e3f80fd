package dev.seqrec.eval.split;

/**
 * One held-out case per user: the history (oldest first, capped) and the item that followed it.
 *
 * @param users     dense user id of each case
 * @param histories the history of each case, dense item ids, oldest first, at most the split's cap long
 * @param targets   the held-out item of each case
 */
public record EvaluationCases(Split split, int[] users, int[][] histories, int[] targets) {
    public int size() {
        return targets.length;
    }
}
