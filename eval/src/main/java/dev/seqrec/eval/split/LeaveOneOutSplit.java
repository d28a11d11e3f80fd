package dev.seqrec.eval.split;

import dev.seqrec.eval.data.SequenceDataset;
import java.util.Arrays;

/**
 * The leave-one-out protocol of mclrec-spec sections 2-3. For a user with items s_1 .. s_n: the test case is target
 * s_n after s_1 .. s_(n-1); the validation case is target s_(n-1) after s_1 .. s_(n-2); every t = 2 .. n-2 gives a
 * training sample, target s_t after s_1 .. s_(t-1). Every history keeps only its last {@link #maxHistory()} items;
 * a case's {@link EvaluationCases#seen() seen items} are the whole prefix before its target, uncapped.
 *
 * <p>Users with fewer than {@link #MIN_USER_ITEMS} items cannot have both a validation and a test case; they are left
 * out of the split altogether (no cases, no training samples), so that both splits cover the same users.
 * {@link #skippedUsers} counts them. Users with exactly 3 items have both cases and no training sample.
 *
 * @param maxHistory the cap on history length, L
 */
public record LeaveOneOutSplit(int maxHistory) {
    /** The reference's cap, L = 50. */
    public static final int DEFAULT_MAX_HISTORY = 50;
    /** Shortest sequence that yields a validation and a test case, each with a non-empty history. */
    public static final int MIN_USER_ITEMS = 3;
    /** Items at the end of each sequence held out for validation and test. */
    public static final int HELD_OUT_ITEMS = 2;

    public LeaveOneOutSplit {
        if (maxHistory < 1) {
            throw new IllegalArgumentException("maxHistory must be >= 1, got " + maxHistory);
        }
    }

    public LeaveOneOutSplit() {
        this(DEFAULT_MAX_HISTORY);
    }

    /**
     * One case per user long enough for the split, in user id order: its capped history, its target and everything
     * the user saw before the target.
     */
    public EvaluationCases cases(SequenceDataset dataset, Split split) {
        int[][] sequences = dataset.sequences();
        int count = sequences.length - skippedUsers(dataset);
        int[] users = new int[count];
        int[][] histories = new int[count][];
        int[] targets = new int[count];
        int[][] seen = new int[count][];
        int c = 0;
        for (int u = 0; u < sequences.length; u++) {
            int[] sequence = sequences[u];
            if (sequence.length < MIN_USER_ITEMS) {
                continue;
            }
            int targetIndex = split == Split.TEST ? sequence.length - 1 : sequence.length - 2;
            users[c] = u + 1;
            histories[c] = history(sequence, targetIndex);
            targets[c] = sequence[targetIndex];
            seen[c] = histories[c].length == targetIndex ? histories[c] : Arrays.copyOf(sequence, targetIndex);
            c++;
        }
        return new EvaluationCases(split, users, histories, targets, seen);
    }

    /** Every training prefix of every user, users in id order and each user's prefixes oldest first. */
    public TrainingSamples trainingSamples(SequenceDataset dataset) {
        int[][] sequences = dataset.sequences();
        int count = 0;
        for (int[] sequence : sequences) {
            count += trainingSampleCount(sequence.length);
        }
        int[][] histories = new int[count][];
        int[] targets = new int[count];
        int s = 0;
        for (int[] sequence : sequences) {
            if (sequence.length < MIN_USER_ITEMS) {
                continue;
            }
            for (int t = 1; t < sequence.length - HELD_OUT_ITEMS; t++) {
                histories[s] = history(sequence, t);
                targets[s] = sequence[t];
                s++;
            }
        }
        return new TrainingSamples(histories, targets);
    }

    /** The part of a sequence that training may see: all but its last two items (empty for users left out). */
    public static int[] trainingPart(int[] sequence) {
        if (sequence.length < MIN_USER_ITEMS) {
            return new int[0];
        }
        return Arrays.copyOf(sequence, sequence.length - HELD_OUT_ITEMS);
    }

    /** Users with fewer than {@link #MIN_USER_ITEMS} items, left out of every part of the split. */
    public static int skippedUsers(SequenceDataset dataset) {
        int skipped = 0;
        for (int[] sequence : dataset.sequences()) {
            if (sequence.length < MIN_USER_ITEMS) {
                skipped++;
            }
        }
        return skipped;
    }

    private static int trainingSampleCount(int length) {
        return Math.max(0, length - HELD_OUT_ITEMS - 1);
    }

    /** The items before index {@code targetIndex}, keeping the last maxHistory. */
    private int[] history(int[] sequence, int targetIndex) {
        int from = Math.max(0, targetIndex - maxHistory);
        return Arrays.copyOfRange(sequence, from, targetIndex);
    }
}
