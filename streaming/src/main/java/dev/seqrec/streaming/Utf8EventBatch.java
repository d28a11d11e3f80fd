package dev.seqrec.streaming;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A partition's share of a poll, decoded: each event's user id and item id as UTF-8 slices of the record bytes (no
 * strings), and the item's dense id once the {@link SequenceAppender} has resolved it. Reused by its writer thread.
 */
final class Utf8EventBatch {
    private static final int INITIAL_CAPACITY = 256;

    byte[][] users = new byte[INITIAL_CAPACITY][];
    byte[][] itemSources = new byte[INITIAL_CAPACITY][];
    int[] itemFrom = new int[INITIAL_CAPACITY];
    int[] itemTo = new int[INITIAL_CAPACITY];
    int[] itemIds = new int[INITIAL_CAPACITY];
    /** {@link Utf8KeyTable#hash} of each event's user and item, computed where the bytes are scanned anyway. */
    int[] userHashes = new int[INITIAL_CAPACITY];
    int[] itemHashes = new int[INITIAL_CAPACITY];
    int size;

    static Utf8EventBatch of(java.util.List<Interaction> interactions) {
        Utf8EventBatch batch = new Utf8EventBatch();
        for (Interaction interaction : interactions) {
            byte[] item = IdBytes.of(interaction.item(), "item id");
            batch.add(IdBytes.of(interaction.user(), "user id"), item, 0, item.length);
        }
        return batch;
    }

    /** Adds an event of user {@code user} (the whole array) and item {@code itemSource[from, to)}. */
    void add(byte[] user, byte[] itemSource, int from, int to) {
        add(user, Utf8KeyTable.hash(user, 0, user.length), itemSource, from, to, Utf8KeyTable.hash(itemSource, from, to));
    }

    /** As {@link #add(byte[], byte[], int, int)}, with the {@link Utf8KeyTable#hash} of the user and the item. */
    void add(byte[] user, int userHash, byte[] itemSource, int from, int to, int itemHash) {
        if (size == users.length) {
            int capacity = size * 2;
            users = Arrays.copyOf(users, capacity);
            itemSources = Arrays.copyOf(itemSources, capacity);
            itemFrom = Arrays.copyOf(itemFrom, capacity);
            itemTo = Arrays.copyOf(itemTo, capacity);
            itemIds = Arrays.copyOf(itemIds, capacity);
            userHashes = Arrays.copyOf(userHashes, capacity);
            itemHashes = Arrays.copyOf(itemHashes, capacity);
        }
        users[size] = user;
        itemSources[size] = itemSource;
        itemFrom[size] = from;
        itemTo[size] = to;
        itemIds[size] = 0;
        userHashes[size] = userHash;
        itemHashes[size] = itemHash;
        size++;
    }

    /** Drops the last event added (decoded, then rejected). */
    void removeLast() {
        size--;
        users[size] = null;
        itemSources[size] = null;
    }

    String item(int event) {
        return new String(itemSources[event], itemFrom[event], itemTo[event] - itemFrom[event], StandardCharsets.UTF_8);
    }

    /** Empties the batch, letting go of the record bytes it pointed into. */
    void clear() {
        Arrays.fill(users, 0, size, null);
        Arrays.fill(itemSources, 0, size, null);
        size = 0;
    }
}
