package dev.seqrec.eval.data;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Every interaction of a file in compact arrays, in file order: dense user and item ids (first appearance), and the
 * timestamp when the file has one. Turns them into per-user, time-ordered sequences, optionally k-core filtered.
 */
final class InteractionLog {
    private static final int INITIAL_CAPACITY = 1 << 12;

    private final boolean timed;
    private IdMapping users = new IdMapping();
    private IdMapping items = new IdMapping();
    private int size;
    private int[] userOf = new int[INITIAL_CAPACITY];
    private int[] itemOf = new int[INITIAL_CAPACITY];
    private double[] timeOf;

    InteractionLog(boolean timed) {
        this.timed = timed;
        this.timeOf = timed ? new double[INITIAL_CAPACITY] : null;
    }

    boolean timed() {
        return timed;
    }

    IdMapping users() {
        return users;
    }

    int size() {
        return size;
    }

    void add(String user, String item, double timestamp) {
        if (size == userOf.length) {
            int capacity = Math.multiplyExact(size, 2);
            userOf = Arrays.copyOf(userOf, capacity);
            itemOf = Arrays.copyOf(itemOf, capacity);
            if (timed) {
                timeOf = Arrays.copyOf(timeOf, capacity);
            }
        }
        userOf[size] = users.getOrAdd(user);
        itemOf[size] = items.getOrAdd(item);
        if (timed) {
            timeOf[size] = timestamp;
        }
        size++;
    }

    /**
     * Removes users with fewer than {@code minUser} and items with fewer than {@code minItem} interactions,
     * repeatedly until nothing changes, then renumbers users and items by first appearance among the rows left.
     * The k-core is unique, so the order of removals does not change the result.
     */
    void kCore(int minUser, int minItem) {
        int[] userCount = new int[users.size() + 1];
        int[] itemCount = new int[items.size() + 1];
        for (int r = 0; r < size; r++) {
            userCount[userOf[r]]++;
            itemCount[itemOf[r]]++;
        }
        boolean[] removed = new boolean[size];
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int r = 0; r < size; r++) {
                if (!removed[r] && (userCount[userOf[r]] < minUser || itemCount[itemOf[r]] < minItem)) {
                    removed[r] = true;
                    userCount[userOf[r]]--;
                    itemCount[itemOf[r]]--;
                    changed = true;
                }
            }
        }
        IdMapping keptUsers = new IdMapping();
        IdMapping keptItems = new IdMapping();
        int kept = 0;
        for (int r = 0; r < size; r++) {
            if (removed[r]) {
                continue;
            }
            userOf[kept] = keptUsers.getOrAdd(users.externalId(userOf[r]));
            itemOf[kept] = keptItems.getOrAdd(items.externalId(itemOf[r]));
            if (timed) {
                timeOf[kept] = timeOf[r];
            }
            kept++;
        }
        users = keptUsers;
        items = keptItems;
        size = kept;
    }

    /** Row indices grouped by user (user u's rows are {@code rows[u - 1]}), each group in time order (stable). */
    int[][] rowsByUser() {
        int[] counts = new int[users.size() + 1];
        for (int r = 0; r < size; r++) {
            counts[userOf[r]]++;
        }
        int[][] rows = new int[users.size()][];
        for (int u = 1; u <= users.size(); u++) {
            rows[u - 1] = new int[counts[u]];
        }
        int[] filled = new int[users.size() + 1];
        for (int r = 0; r < size; r++) {
            int u = userOf[r];
            rows[u - 1][filled[u]++] = r;
        }
        if (timed) {
            for (int u = 0; u < rows.length; u++) {
                rows[u] = byTime(rows[u]);
            }
        }
        return rows;
    }

    private int[] byTime(int[] rows) {
        boolean sorted = true;
        for (int i = 1; i < rows.length && sorted; i++) {
            sorted = timeOf[rows[i - 1]] <= timeOf[rows[i]];
        }
        if (sorted) {
            return rows;
        }
        Integer[] boxed = Arrays.stream(rows).boxed().toArray(Integer[]::new);
        Arrays.sort(boxed, Comparator.comparingDouble(r -> timeOf[r])); // stable: equal times keep file order
        return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
    }

    SequenceDataset toDataset(String name) {
        int[][] rows = rowsByUser();
        int[][] sequences = new int[rows.length][];
        for (int u = 0; u < rows.length; u++) {
            int[] sequence = new int[rows[u].length];
            for (int i = 0; i < sequence.length; i++) {
                sequence[i] = itemOf[rows[u][i]];
            }
            sequences[u] = sequence;
        }
        return new SequenceDataset(name, users, items, sequences);
    }

    String externalUser(int row) {
        return users.externalId(userOf[row]);
    }

    String externalItem(int row) {
        return items.externalId(itemOf[row]);
    }

    double timestamp(int row) {
        return timeOf[row];
    }
}
