package dev.seqrec.streaming;

/**
 * A single-threaded hash table of entries keyed by UTF-8 bytes, looked up by a slice of any array: the ingest path
 * finds users and items straight in the record bytes, without building strings. Open addressing with the hashes in
 * an array of their own, so a probe rarely touches an entry that does not match.
 */
final class Utf8KeyTable<E extends Utf8KeyTable.Entry> {
    private static final int INITIAL_CAPACITY = 1024;
    private static final int MAX_LOAD_PERCENT = 60;

    /** What the table holds: anything with a key. */
    static class Entry {
        final byte[] key;

        Entry(byte[] key) {
            this.key = key;
        }
    }

    private int[] hashes = new int[INITIAL_CAPACITY];
    private Entry[] entries = new Entry[INITIAL_CAPACITY];
    private int size;
    /** {@link #getAll}'s slot and found key length per key, kept between calls. */
    private int[] probedSlots = new int[0];
    private int[] foundKeyLengths = new int[0];

    /** The seed of {@link #hashStep}, so that a scan over the bytes can build a hash as it goes. */
    static final int HASH_SEED = 1;

    static int hashStep(int h, byte b) {
        return 31 * h + b;
    }

    /** The table's hash of the bytes whose {@link #hashStep} chain from {@link #HASH_SEED} gave {@code h}. */
    static int finishHash(int h) {
        h *= 0x9E3779B9; // spread the bits: slots are taken from the low ones
        h ^= h >>> 16;
        return h == 0 ? 1 : h; // 0 marks an empty slot
    }

    static int hash(byte[] bytes, int from, int to) {
        int h = HASH_SEED;
        for (int i = from; i < to; i++) {
            h = hashStep(h, bytes[i]);
        }
        return finishHash(h);
    }

    /** The entry whose key equals {@code bytes[from, to)}, or null; {@code hash} is {@link #hash} of that slice. */
    @SuppressWarnings("unchecked")
    E get(byte[] bytes, int from, int to, int hash) {
        int mask = hashes.length - 1;
        for (int slot = hash & mask; hashes[slot] != 0; slot = (slot + 1) & mask) {
            if (hashes[slot] == hash) {
                byte[] key = entries[slot].key;
                if (sameBytes(key, bytes, from, to)) {
                    return (E) entries[slot];
                }
            }
        }
        return null;
    }

    /**
     * Looks up {@code count} whole-array keys at once: {@code found[i]} becomes the entry whose key equals
     * {@code keys[i]} (whose {@link #hash} is {@code keyHashes[i]}), or null, as {@link #get} would give. In a table
     * larger than the CPU caches a lookup is mostly waiting for memory; done in steps, each a loop whose iterations
     * do not depend on one another, the CPU waits for the misses of many keys at once instead of one after another.
     */
    void getAll(byte[][] keys, int[] keyHashes, int count, Entry[] found) {
        if (probedSlots.length < count) {
            probedSlots = new int[Math.max(count, 2 * probedSlots.length)];
            foundKeyLengths = new int[probedSlots.length];
        }
        int[] slots = probedSlots;
        int[] lengths = foundKeyLengths;
        int[] h = hashes;
        Entry[] e = entries;
        int mask = h.length - 1;
        for (int i = 0; i < count; i++) { // the slot holding the key's hash, or the gap that ends its probe
            int hash = keyHashes[i];
            int slot = hash & mask;
            while (h[slot] != 0 && h[slot] != hash) {
                slot = (slot + 1) & mask;
            }
            slots[i] = slot;
        }
        for (int i = 0; i < count; i++) { // the entry there (none in a gap)
            found[i] = e[slots[i]];
        }
        for (int i = 0; i < count; i++) { // its key's length: the entry's and the key's memory, for all keys at once
            Entry entry = found[i];
            lengths[i] = entry == null ? -1 : entry.key.length;
        }
        for (int i = 0; i < count; i++) { // its key compared; on a rare collision of full hashes, probe on
            Entry entry = found[i];
            if (entry != null && (lengths[i] != keys[i].length || !sameBytes(entry.key, keys[i], 0, keys[i].length))) {
                found[i] = get(keys[i], 0, keys[i].length, keyHashes[i]);
            }
        }
    }

    /** Ids are short: a plain loop beats the range checks and call of Arrays.equals. */
    private static boolean sameBytes(byte[] key, byte[] bytes, int from, int to) {
        if (key.length != to - from) {
            return false;
        }
        for (int i = 0; i < key.length; i++) {
            if (key[i] != bytes[from + i]) {
                return false;
            }
        }
        return true;
    }

    /** Adds an entry whose key is not in the table yet. */
    void add(E entry) {
        if ((size + 1) * 100L > (long) hashes.length * MAX_LOAD_PERCENT) {
            grow();
        }
        insert(entry, hash(entry.key, 0, entry.key.length));
        size++;
    }

    int size() {
        return size;
    }

    void clear() {
        hashes = new int[INITIAL_CAPACITY];
        entries = new Entry[INITIAL_CAPACITY];
        size = 0;
    }

    private void insert(Entry entry, int hash) {
        int mask = hashes.length - 1;
        int slot = hash & mask;
        while (hashes[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        hashes[slot] = hash;
        entries[slot] = entry;
    }

    private void grow() {
        int[] oldHashes = hashes;
        Entry[] oldEntries = entries;
        hashes = new int[oldHashes.length * 2];
        entries = new Entry[oldEntries.length * 2];
        for (int i = 0; i < oldHashes.length; i++) {
            if (oldHashes[i] != 0) {
                insert(oldEntries[i], oldHashes[i]);
            }
        }
    }
}
