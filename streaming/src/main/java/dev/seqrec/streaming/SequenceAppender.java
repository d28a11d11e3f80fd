package dev.seqrec.streaming;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One writer's appends to a {@link RocksSequenceStore}, coalesced in memory until {@link #flush()} writes them, with
 * the consumed offsets, in one atomic RocksDB batch: a user with many events between two flushes costs one put.
 * Keeps the tail (the stored sequence, at most the cap) of every user it has seen, bounded in bytes, so appends do
 * not read RocksDB back. That is valid only while this appender is the sole writer of its users: each ingest writer
 * thread owns fixed partitions, and so fixed users. Items are looked up in the store's dictionary, which all writers
 * share. Not thread-safe; readers of the store see flushed data only.
 */
final class SequenceAppender {
    /** Rough heap cost of a cached user beyond its key and items (table slots, object and array headers). */
    private static final int TAIL_OVERHEAD_BYTES = 96;
    private static final int INITIAL_TAIL_ITEMS = 4;

    private final RocksSequenceStore store;
    private final int cap;
    private final long cacheBytes;
    private final Utf8KeyTable<UserTail> tails = new Utf8KeyTable<>();
    /** Users appended to since the last flush, in order of first append. */
    private final List<UserTail> dirty = new ArrayList<>();
    /**
     * Each event's cached user of the batch being added, kept between batches. Typed as the table's entries: storing
     * those into an array of a subtype would cost a type check per store, which the compiler speculates away and
     * then has to recompile.
     */
    private Utf8KeyTable.Entry[] batchTails = new Utf8KeyTable.Entry[0];
    private final Map<String, Map<Integer, Long>> offsets = new LinkedHashMap<>();
    private long cachedBytes;
    private long pendingEvents;
    private long pendingRejected;

    /**
     * @param cacheBytes heap kept for user tails between flushes; beyond it, a flush forgets every tail (the active
     *                   users come back at the next append, at the price of one RocksDB read each)
     */
    SequenceAppender(RocksSequenceStore store, long cacheBytes) {
        this.store = store;
        this.cap = store.maxSequenceLength();
        this.cacheBytes = cacheBytes;
    }

    /** Appends the interactions in order (each user's in the given order); stored at the next {@link #flush()}. */
    void add(List<Interaction> interactions) {
        if (!interactions.isEmpty()) {
            add(Utf8EventBatch.of(interactions));
        }
    }

    /**
     * Appends the events in order (each user's in the given order); stored at the next {@link #flush()}. Fills in
     * the batch's dense item ids. Keeps the batch's user id arrays, which must not change afterwards.
     */
    void add(Utf8EventBatch events) {
        if (events.size == 0) {
            return;
        }
        store.denseItemIds(events);
        if (batchTails.length < events.size) {
            batchTails = new Utf8KeyTable.Entry[Math.max(events.size, 2 * batchTails.length)];
        }
        Utf8KeyTable.Entry[] found = batchTails;
        tails.getAll(events.users, events.userHashes, events.size, found);
        List<UserTail> unread = new ArrayList<>();
        for (int e = 0; e < events.size; e++) {
            UserTail tail = (UserTail) found[e];
            if (tail == null) {
                byte[] user = events.users[e];
                tail = tails.get(user, 0, user.length, events.userHashes[e]); // new, but seen earlier in the batch?
                if (tail == null) {
                    tail = new UserTail(user);
                    tails.add(tail);
                    cachedBytes += tail.bytes();
                    unread.add(tail);
                }
            }
            if (!tail.dirty) {
                tail.dirty = true;
                dirty.add(tail);
            }
            cachedBytes += tail.append(events.itemIds[e], cap);
        }
        pendingEvents += events.size;
        Arrays.fill(found, 0, events.size, null); // a later forget() must let go of the tails
        if (!unread.isEmpty()) {
            readStored(unread);
        }
    }

    /** The partition's next offset, written with the next flush (a later call for the partition replaces it). */
    void consumed(PartitionOffset offset) {
        offsets.computeIfAbsent(offset.topic(), t -> new LinkedHashMap<>()).put(offset.partition(), offset.nextOffset());
    }

    /** Malformed events to count at the next flush. */
    void rejected(long count) {
        pendingRejected += count;
    }

    /** Events appended since the last flush. */
    long pendingEvents() {
        return pendingEvents;
    }

    /** Whether the cached tails have outgrown their budget, so that a flush (which may then forget them) is due. */
    boolean overBudget() {
        return cachedBytes > cacheBytes;
    }

    /**
     * Writes every pending append, offset and count in one atomic batch (all or nothing, WAL on). After a failure
     * this appender must not be used again: its tails may no longer match the store.
     */
    void flush() {
        if (dirty.isEmpty() && offsets.isEmpty() && pendingRejected == 0) {
            return;
        }
        try {
            store.writeAppends(dirty, offsets, pendingEvents, pendingRejected);
        } catch (RuntimeException e) {
            forgetAll();
            throw e;
        }
        for (UserTail tail : dirty) {
            tail.dirty = false;
            tail.stored = true;
        }
        dirty.clear();
        offsets.clear();
        pendingEvents = 0;
        pendingRejected = 0;
        if (overBudget()) {
            forgetAll();
        }
    }

    /**
     * Drops every cached tail and everything not flushed, as after a rebalance: users of partitions this writer no
     * longer owns may be written by someone else before they come back.
     */
    void forget() {
        forgetAll();
    }

    private void forgetAll() {
        tails.clear();
        dirty.clear();
        offsets.clear();
        cachedBytes = 0;
        pendingEvents = 0;
        pendingRejected = 0;
    }

    /** Puts the stored sequences of first-seen users in front of what was appended to them since. */
    private void readStored(List<UserTail> unread) {
        byte[][] keys = new byte[unread.size()][];
        for (int u = 0; u < keys.length; u++) {
            keys[u] = unread.get(u).key;
        }
        List<byte[]> stored;
        try {
            stored = store.storedSequences(Arrays.asList(keys));
        } catch (RuntimeException e) {
            forgetAll();
            throw e;
        }
        for (int u = 0; u < keys.length; u++) {
            UserTail tail = unread.get(u);
            byte[] value = stored.get(u);
            long before = tail.bytes();
            if (value == null) {
                tail.userId = store.newUserId();
            } else {
                tail.prependStored(value, cap);
                tail.stored = true;
            }
            cachedBytes += tail.bytes() - before;
        }
    }

    /** A user's last items (at most the cap), oldest first, in a window {@code [start, end)} of a growing array. */
    static final class UserTail extends Utf8KeyTable.Entry {
        int userId;
        /** Whether RocksDB holds this user (so the user id is written already). */
        boolean stored;
        boolean dirty;
        private int[] items = new int[INITIAL_TAIL_ITEMS];
        private int start;
        private int end;

        UserTail(byte[] user) {
            // A copy, allocated right after this object and before its items, shares their cache lines: a lookup
            // touches less memory than with the record's own key array, allocated long before.
            super(Arrays.copyOf(user, user.length));
        }

        long bytes() {
            return TAIL_OVERHEAD_BYTES + key.length + (long) items.length * Integer.BYTES;
        }

        /** Appends the item, keeping at most {@code cap}; returns how many bytes the tail grew by. */
        long append(int item, int cap) {
            long grown = 0;
            if (end == items.length) {
                int length = end - start;
                if (start > 0 && length <= items.length / 2) {
                    System.arraycopy(items, start, items, 0, length); // room at the front: slide, amortised O(1)
                } else {
                    int capacity = items.length;
                    items = Arrays.copyOfRange(items, start, start + (int) Math.min(2L * cap, Math.max(1, length) * 2L));
                    grown = (long) (items.length - capacity) * Integer.BYTES;
                }
                start = 0;
                end = length;
            }
            items[end++] = item;
            if (end - start > cap) {
                start = end - cap;
            }
            return grown;
        }

        /** The stored value is [user id, items...] as big-endian ints; the appended items stay newest. */
        void prependStored(byte[] value, int cap) {
            ByteBuffer buffer = ByteBuffer.wrap(value);
            userId = buffer.getInt(0);
            int storedLength = value.length / Integer.BYTES - 1;
            int appended = end - start;
            int keep = Math.min(storedLength, cap - appended);
            if (keep <= 0) {
                return;
            }
            int[] merged = new int[Math.max(INITIAL_TAIL_ITEMS, keep + appended)];
            for (int i = 0; i < keep; i++) {
                merged[i] = buffer.getInt((1 + storedLength - keep + i) * Integer.BYTES);
            }
            System.arraycopy(items, start, merged, keep, appended);
            items = merged;
            start = 0;
            end = keep + appended;
        }

        /** Length of the value RocksDB stores, see {@link #writeValue}. */
        int valueBytes() {
            return (1 + end - start) * Integer.BYTES;
        }

        /** Writes the value RocksDB stores: [user id, items oldest first...] as big-endian ints. */
        void writeValue(EncodedWriteBatch batch) {
            batch.putInt(userId);
            for (int i = start; i < end; i++) {
                batch.putInt(items[i]);
            }
        }
    }
}
