package dev.seqrec.streaming;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Bloom filter of the users a store created empty has written: a user it has never seen is certainly not stored,
 * so ingestion into a new store (a first import, a replica or shard rebuilding from a topic's start) skips reading
 * RocksDB for every user's first event. Each user sets {@value #BITS_PER_USER} bits of one 64-bit word, so a level
 * costs one cache miss, and has {@value #BITS_PER_KEY_BUDGET} bits of room: 0.5% of lookups of unseen users say
 * "maybe" (they are read, as without the filter) with one level full, 1-2% with more. The filter grows in levels,
 * each four times the last, taken as the users come, so a small store's filter stays in the CPU caches and a large
 * one costs a miss per level; it holds at most {@link #capacity()} users, beyond which the store stops consulting
 * it. Safe for concurrent use.
 */
final class WrittenUserFilter {
    static final int BITS_PER_KEY_BUDGET = 16;
    private static final int BITS_PER_USER = 4;
    private static final int BIT_INDEX_BITS = 6;
    /** Users of the first level: 128 KiB. */
    private static final long FIRST_LEVEL_USERS = 1 << 16;
    private static final int GROWTH = 4;
    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    /** Users each level takes; only as many levels as fit in the bytes given. */
    private final long[] levelUsers;
    private final long capacity;
    private final AtomicLong added = new AtomicLong();
    /** The levels taken so far; a level's words are written only by {@link #add}, read by anyone. */
    private volatile long[][] levels = new long[0][];

    /** A filter of at most {@code bytes}, in levels of {@value #FIRST_LEVEL_USERS} users, four times that, ... */
    WrittenUserFilter(long bytes) {
        long users = bytes / (BITS_PER_KEY_BUDGET / Byte.SIZE);
        long[] sizes = new long[Long.SIZE];
        int count = 0;
        long total = 0;
        for (long level = Math.min(FIRST_LEVEL_USERS, users); level > 0 && total + level <= users
                && wordsFor(level) <= Integer.MAX_VALUE - 8; level *= GROWTH) {
            sizes[count++] = level;
            total += level;
        }
        this.levelUsers = Arrays.copyOf(sizes, count);
        this.capacity = total;
    }

    /** How many users the filter takes at its intended error rate. */
    long capacity() {
        return capacity;
    }

    /** Adds a user; beyond {@link #capacity()} it is forgotten, so the caller must stop consulting the filter. */
    void add(byte[] user) {
        long n = added.getAndIncrement();
        long[] level = levelHolding(n);
        if (level != null) {
            long h = hash(user);
            WORDS.getAndBitwiseOr(level, wordIndex(h, level.length), bits(h));
        }
    }

    /** False when the user was certainly never {@link #add added}. */
    boolean mightContain(byte[] user) {
        long[][] taken = levels;
        if (taken.length == 0) {
            return false;
        }
        long h = hash(user);
        long bits = bits(h);
        for (long[] level : taken) {
            if (((long) WORDS.getAcquire(level, wordIndex(h, level.length)) & bits) == bits) {
                return true;
            }
        }
        return false;
    }

    /** The level that takes the {@code n}-th user (from 0), taking it if needed; null beyond the capacity. */
    private long[] levelHolding(long n) {
        int index = 0;
        for (long first = 0; index < levelUsers.length && n >= first + levelUsers[index]; index++) {
            first += levelUsers[index];
        }
        if (index == levelUsers.length) {
            return null;
        }
        long[][] taken = levels;
        if (index >= taken.length) {
            synchronized (this) {
                taken = levels;
                if (index >= taken.length) {
                    long[][] more = Arrays.copyOf(taken, index + 1);
                    for (int l = taken.length; l <= index; l++) {
                        more[l] = new long[(int) wordsFor(levelUsers[l])];
                    }
                    levels = more;
                    taken = more;
                }
            }
        }
        return taken[index];
    }

    private static long wordsFor(long users) {
        return Math.max(1, users * BITS_PER_KEY_BUDGET / Long.SIZE);
    }

    private static int wordIndex(long h, int words) {
        return (int) ((h >>> (BITS_PER_USER * BIT_INDEX_BITS)) % words);
    }

    private static long bits(long h) {
        long bits = 0;
        for (int b = 0; b < BITS_PER_USER; b++) {
            bits |= 1L << ((h >>> (b * BIT_INDEX_BITS)) & (Long.SIZE - 1));
        }
        return bits;
    }

    /** FNV-1a over the bytes, then a 64-bit finaliser (splitmix64's), so that every bit depends on every byte. */
    private static long hash(byte[] bytes) {
        long h = FNV_OFFSET;
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
