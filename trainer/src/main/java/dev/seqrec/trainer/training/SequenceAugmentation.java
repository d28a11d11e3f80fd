package dev.seqrec.trainer.training;

import java.util.Arrays;
import java.util.Random;

/**
 * CL4SRec's data augmentations (spec section 5): crop, mask and reorder, two different ones per sample.
 *
 * @param cropRatio    share removed by crop: k = floor(n (1 - cropRatio)) consecutive items are kept
 * @param maskRatio    m = floor(n maskRatio) distinct positions are set to the padding id 0
 * @param reorderRatio a window of w = floor(n reorderRatio) items is shuffled
 */
public record SequenceAugmentation(double cropRatio, double maskRatio, double reorderRatio) {

    public enum Operator { CROP, MASK, REORDER }

    /** Two views of {@code history}: an ordered pair of different operators drawn uniformly; n = 1 gives two copies. */
    public int[][] twoViews(int[] history, Random random) {
        if (history.length < 2) {
            return new int[][] {history.clone(), history.clone()};
        }
        Operator[] ops = Operator.values();
        int first = random.nextInt(ops.length);
        int second = random.nextInt(ops.length - 1);
        if (second >= first) {
            second++;
        }
        return new int[][] {apply(ops[first], history, random), apply(ops[second], history, random)};
    }

    public int[] apply(Operator operator, int[] history, Random random) {
        int n = history.length;
        switch (operator) {
            case CROP: {
                int keep = Math.max(1, (int) Math.floor(n * (1 - cropRatio)));
                int offset = random.nextInt(n - keep + 1);
                return Arrays.copyOfRange(history, offset, offset + keep);
            }
            case MASK: {
                int masked = (int) Math.floor(n * maskRatio);
                int[] view = history.clone();
                int[] positions = permutation(n, random);
                for (int i = 0; i < masked; i++) {
                    view[positions[i]] = 0;
                }
                return view;
            }
            case REORDER: {
                int window = (int) Math.floor(n * reorderRatio);
                int offset = random.nextInt(n - window + 1);
                int[] view = history.clone();
                int[] order = permutation(window, random);
                for (int i = 0; i < window; i++) {
                    view[offset + i] = history[offset + order[i]];
                }
                return view;
            }
            default:
                throw new IllegalStateException(operator.toString());
        }
    }

    /** A uniform permutation of 0..n-1 (Fisher-Yates). */
    static int[] permutation(int n, Random random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }
}
