package dev.seqrec.eval.data;

/**
 * Every user's chronologically ordered item sequence, in dense ids.
 *
 * @param name      short name for reports, usually the file name without extension
 * @param users     user id mapping; user with dense id u has sequence {@code sequences[u - 1]}
 * @param items     item id mapping; items are 1..items.size(), 0 is padding
 * @param sequences per user, dense item ids, oldest first
 */
public record SequenceDataset(String name, IdMapping users, IdMapping items, int[][] sequences) {

    public int numUsers() {
        return sequences.length;
    }

    public int numItems() {
        return items.size();
    }

    public long numInteractions() {
        long n = 0;
        for (int[] s : sequences) {
            n += s.length;
        }
        return n;
    }
}
