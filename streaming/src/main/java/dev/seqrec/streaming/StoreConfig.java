package dev.seqrec.streaming;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * How a writable {@link RocksSequenceStore} is opened.
 *
 * @param maxSequenceLength items kept per user; older ones are dropped on append. Recorded in the store when it is
 *                          created (or first opened by a seqrec that records it): empty takes the store's recorded
 *                          value ({@link #DEFAULT_MAX_SEQUENCE_LENGTH} for a new store), and a value other than the
 *                          recorded one is refused, as it would silently cut or stop keeping stored histories
 * @param blockCacheBytes   RocksDB block cache shared by all column families
 * @param appendCacheBytes  heap for the ingest writers' user tails (shared among them), so appends skip reading
 *                          sequences back from RocksDB and coalesce in memory between flushes; 0 turns caching off
 * @param syncWrites        fsync the WAL on every batch (survives a machine crash, not just a process crash)
 * @param writtenUsersFilterBytes heap, taken in levels as users are written, for a filter of the users a store opened
 *                          empty has written: up to {@value WrittenUserFilter#BITS_PER_KEY_BUDGET} bits per user,
 *                          the ingest writers then skip the RocksDB read of a user's first event (a first ingestion,
 *                          a rebuild from a topic's start); beyond that many users, or for a store that held users
 *                          when opened, they read as before; 0 turns the filter off
 */
public record StoreConfig(OptionalInt maxSequenceLength, long blockCacheBytes, long appendCacheBytes,
                          boolean syncWrites, long writtenUsersFilterBytes) {
    public static final int DEFAULT_MAX_SEQUENCE_LENGTH = 200;
    /** A user's sequence is one RocksDB value read into one Java array: 16,777,216 items make 64 MiB. */
    public static final int LARGEST_MAX_SEQUENCE_LENGTH = 1 << 24;
    public static final long DEFAULT_BLOCK_CACHE_BYTES = 64L << 20;
    public static final long DEFAULT_APPEND_CACHE_BYTES = 128L << 20;
    /** Levels for 5,570,560 users (10.6 MiB of it, taken as users come). */
    public static final long DEFAULT_WRITTEN_USERS_FILTER_BYTES = 16L << 20;

    public StoreConfig {
        Objects.requireNonNull(maxSequenceLength, "maxSequenceLength");
        if (maxSequenceLength.isPresent() && (maxSequenceLength.getAsInt() < 1
                || maxSequenceLength.getAsInt() > LARGEST_MAX_SEQUENCE_LENGTH)) {
            throw new IllegalArgumentException("maxSequenceLength must be between 1 and " + LARGEST_MAX_SEQUENCE_LENGTH
                    + ", got " + maxSequenceLength.getAsInt());
        }
        if (blockCacheBytes < 0 || appendCacheBytes < 0 || writtenUsersFilterBytes < 0) {
            throw new IllegalArgumentException("cache and filter sizes must not be negative");
        }
    }

    /** Defaults, and the store's own max sequence length ({@link #DEFAULT_MAX_SEQUENCE_LENGTH} for a new store). */
    public static StoreConfig defaults() {
        return new StoreConfig(OptionalInt.empty(), DEFAULT_BLOCK_CACHE_BYTES, DEFAULT_APPEND_CACHE_BYTES, false,
                DEFAULT_WRITTEN_USERS_FILTER_BYTES);
    }

    /** A store that keeps {@code length} items per user: a new one is created so, an existing one must be so. */
    public StoreConfig withMaxSequenceLength(int length) {
        return new StoreConfig(OptionalInt.of(length), blockCacheBytes, appendCacheBytes, syncWrites,
                writtenUsersFilterBytes);
    }

    public StoreConfig withAppendCacheBytes(long bytes) {
        return new StoreConfig(maxSequenceLength, blockCacheBytes, bytes, syncWrites, writtenUsersFilterBytes);
    }

    public StoreConfig withWrittenUsersFilterBytes(long bytes) {
        return new StoreConfig(maxSequenceLength, blockCacheBytes, appendCacheBytes, syncWrites, bytes);
    }
}
