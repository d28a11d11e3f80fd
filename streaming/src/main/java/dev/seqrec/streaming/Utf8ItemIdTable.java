package dev.seqrec.streaming;

import java.util.Arrays;

/**
 * A single-threaded map from UTF-8 item ids to dense ids, looked up by a slice of any array. Open addressing where a
 * slot is four ints (hash, key offset, key length, dense id) and the keys lie one after another in a single byte
 * arena: a hit touches the slot's cache line and the key's, and the table holds no object per item for the
 * collector to trace.
 */
final class Utf8ItemIdTable {
    /** The id {@link #get} returns for a key not in the table (dense ids are never negative). */
    static final int ABSENT = -1;
    private static final int INITIAL_SLOTS = 1024;
    private static final int INITIAL_ARENA_BYTES = 16 * 1024;
    private static final int MAX_LOAD_PERCENT = 60;
    private static final int SLOT_INTS = 4;
    private static final int HASH = 0;
    private static final int OFFSET = 1;
    private static final int LENGTH = 2;
    private static final int ID = 3;

    private int[] slots = new int[INITIAL_SLOTS * SLOT_INTS];
    private byte[] arena = new byte[INITIAL_ARENA_BYTES];
    private int arenaUsed;
    private int size;

    /** The dense id of the key {@code bytes[from, to)}, or {@link #ABSENT}; {@code hash} is {@link Utf8KeyTable#hash}. */
    int get(byte[] bytes, int from, int to, int hash) {
        int[] s = slots;
        int mask = s.length / SLOT_INTS - 1;
        int length = to - from;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            int at = slot * SLOT_INTS;
            int slotHash = s[at + HASH];
            if (slotHash == 0) {
                return ABSENT;
            }
            if (slotHash == hash && s[at + LENGTH] == length && sameBytes(s[at + OFFSET], bytes, from, length)) {
                return s[at + ID];
            }
        }
    }

    /** Adds the key {@code bytes[from, to)}, which must not be in the table yet, with its dense id. */
    void add(byte[] bytes, int from, int to, int hash, int id) {
        if (id < 0) {
            throw new IllegalArgumentException("dense item ids are not negative, got " + id);
        }
        if ((size + 1) * 100L * SLOT_INTS > (long) slots.length * MAX_LOAD_PERCENT) {
            grow();
        }
        int length = to - from;
        if (arenaUsed + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaUsed + length));
        }
        System.arraycopy(bytes, from, arena, arenaUsed, length);
        insert(hash, arenaUsed, length, id);
        arenaUsed += length;
        size++;
    }

    int size() {
        return size;
    }

    private boolean sameBytes(int offset, byte[] bytes, int from, int length) {
        byte[] a = arena;
        // Ids are short: a plain loop beats the range checks and call of Arrays.equals
        for (int i = 0; i < length; i++) {
            if (a[offset + i] != bytes[from + i]) {
                return false;
            }
        }
        return true;
    }

    private void insert(int hash, int offset, int length, int id) {
        int mask = slots.length / SLOT_INTS - 1;
        int slot = hash & mask;
        while (slots[slot * SLOT_INTS + HASH] != 0) {
            slot = (slot + 1) & mask;
        }
        int at = slot * SLOT_INTS;
        slots[at + HASH] = hash;
        slots[at + OFFSET] = offset;
        slots[at + LENGTH] = length;
        slots[at + ID] = id;
    }

    private void grow() {
        int[] old = slots;
        slots = new int[old.length * 2];
        for (int at = 0; at < old.length; at += SLOT_INTS) {
            if (old[at + HASH] != 0) {
                insert(old[at + HASH], old[at + OFFSET], old[at + LENGTH], old[at + ID]);
            }
        }
    }
}
