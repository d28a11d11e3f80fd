package dev.seqrec.eval.split;

/**
 * One held-out case per user: the history the model reads (oldest first, capped), the item that followed it, and
 * everything the user had interacted with before that item.
 *
 * @param users     dense user id of each case
 * @param histories the model's input for each case: dense item ids, oldest first, at most the split's cap long
 * @param targets   the held-out item of each case
 * @param seen      every item of each case's user before its target, oldest first and not capped: what serving-style
 *                  ranking ({@code --exclude-seen}) removes from the candidates. Ends with the case's history; the same
 *                  array as the history where the cap cut nothing.
 */
public record EvaluationCases(Split split, int[] users, int[][] histories, int[] targets, int[][] seen) {
    public EvaluationCases {
        if (histories.length != users.length || targets.length != users.length || seen.length != users.length) {
            throw new IllegalArgumentException("users, histories, targets and seen items differ in length: "
                    + users.length + ", " + histories.length + ", " + targets.length + ", " + seen.length);
        }
    }

    /** Cases whose histories are everything their users saw before the target (no cap cut anything). */
    public EvaluationCases(Split split, int[] users, int[][] histories, int[] targets) {
        this(split, users, histories, targets, histories);
    }

    public int size() {
        return targets.length;
    }
}
