package dev.seqrec.streaming;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A map from UTF-8 item ids to dense ids, looked up by a slice of any array, by any number of threads at once while
 * one thread at a time adds (callers serialise {@link #add}). Open addressing where a slot is four ints (hash, key
 * offset, key length, dense id) and the keys lie one after another in a single byte arena: a hit touches the slot's
 * cache line and the key's, and the table holds no object per item for the collector to trace.
 * <p>
 * Lock-free reads: an added slot's hash is written last, with release semantics, and read with acquire semantics,
 * so a reader that sees it sees the key and the id too. Growth copies the slots and the arena into new arrays that
 * are published together; the old ones are never written again, so a reader holding them sees a smaller but
 * consistent table. A reader may miss a key added meanwhile; it then finds it the way it would add it.
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
    private static final VarHandle SLOT_INT = MethodHandles.arrayElementVarHandle(int[].class);

    /** The slots and the arena that readers use, always replaced together. */
    private record Contents(int[] slots, byte[] arena) {
    }

    private volatile Contents contents = new Contents(new int[INITIAL_SLOTS * SLOT_INTS], new byte[INITIAL_ARENA_BYTES]);
    private int arenaUsed;
    private volatile int size;

    /** The dense id of the key {@code bytes[from, to)}, or {@link #ABSENT}; {@code hash} is {@link Utf8KeyTable#hash}. */
    int get(byte[] bytes, int from, int to, int hash) {
        Contents c = contents;
        int[] s = c.slots();
        int mask = s.length / SLOT_INTS - 1;
        int length = to - from;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            int at = slot * SLOT_INTS;
            int slotHash = (int) SLOT_INT.getAcquire(s, at + HASH);
            if (slotHash == 0) {
                return ABSENT;
            }
            if (slotHash == hash && s[at + LENGTH] == length && sameBytes(c.arena(), s[at + OFFSET], bytes, from, length)) {
                return s[at + ID];
            }
        }
    }

    /**
     * Looks up {@code count} keys at once: {@code ids[i]} becomes {@link #get}{@code (sources[i], from[i], to[i],
     * keyHashes[i])}, in steps whose iterations do not depend on one another, as {@link Utf8KeyTable#getAll}.
     */
    void getAll(byte[][] sources, int[] from, int[] to, int[] keyHashes, int count, int[] ids) {
        Contents c = contents;
        int[] s = c.slots();
        byte[] arena = c.arena();
        int mask = s.length / SLOT_INTS - 1;
        for (int i = 0; i < count; i++) { // the slot holding the key's hash and length, or ABSENT at a gap
            int hash = keyHashes[i];
            int length = to[i] - from[i];
            int at = (hash & mask) * SLOT_INTS;
            int slotHash;
            while ((slotHash = (int) SLOT_INT.getAcquire(s, at + HASH)) != 0
                    && (slotHash != hash || s[at + LENGTH] != length)) {
                at = (at + SLOT_INTS) & (s.length - 1);
            }
            ids[i] = slotHash == 0 ? ABSENT : at;
        }
        for (int i = 0; i < count; i++) { // the key compared; on a rare collision of full hashes, probe on
            int at = ids[i];
            if (at != ABSENT) {
                ids[i] = sameBytes(arena, s[at + OFFSET], sources[i], from[i], to[i] - from[i])
                        ? s[at + ID] : get(sources[i], from[i], to[i], keyHashes[i]);
            }
        }
    }

    /**
     * Adds the key {@code bytes[from, to)}, which must not be in the table yet, with its dense id. One thread at a
     * time; {@link #get} may run concurrently.
     */
    void add(byte[] bytes, int from, int to, int hash, int id) {
        if (id < 0) {
            throw new IllegalArgumentException("dense item ids are not negative, got " + id);
        }
        Contents c = contents;
        int[] slots = c.slots();
        byte[] arena = c.arena();
        int length = to - from;
        boolean slotsFull = (size + 1) * 100L * SLOT_INTS > (long) slots.length * MAX_LOAD_PERCENT;
        boolean arenaFull = arenaUsed + length > arena.length;
        if (slotsFull || arenaFull) {
            arena = arenaFull ? Arrays.copyOf(arena, Math.max(arena.length * 2, arenaUsed + length))
                    : Arrays.copyOf(arena, arena.length);
            slots = slotsFull ? rehashed(slots, slots.length * 2) : Arrays.copyOf(slots, slots.length);
        }
        System.arraycopy(bytes, from, arena, arenaUsed, length);
        insert(slots, hash, arenaUsed, length, id);
        if (slots != c.slots()) {
            contents = new Contents(slots, arena);
        }
        arenaUsed += length;
        size = size + 1;
    }

    int size() {
        return size;
    }

    private static boolean sameBytes(byte[] arena, int offset, byte[] bytes, int from, int length) {
        // Ids are short: a plain loop beats the range checks and call of Arrays.equals
        for (int i = 0; i < length; i++) {
            if (arena[offset + i] != bytes[from + i]) {
                return false;
            }
        }
        return true;
    }

    /** Fills a free slot; its hash goes last so that concurrent readers never see a half-written slot. */
    private static void insert(int[] slots, int hash, int offset, int length, int id) {
        int mask = slots.length / SLOT_INTS - 1;
        int slot = hash & mask;
        while (slots[slot * SLOT_INTS + HASH] != 0) {
            slot = (slot + 1) & mask;
        }
        int at = slot * SLOT_INTS;
        slots[at + OFFSET] = offset;
        slots[at + LENGTH] = length;
        slots[at + ID] = id;
        SLOT_INT.setRelease(slots, at + HASH, hash);
    }

    private static int[] rehashed(int[] old, int length) {
        int[] slots = new int[length];
        for (int at = 0; at < old.length; at += SLOT_INTS) {
            if (old[at + HASH] != 0) {
                insert(slots, old[at + HASH], old[at + OFFSET], old[at + LENGTH], old[at + ID]);
            }
        }
        return slots;
    }
}
