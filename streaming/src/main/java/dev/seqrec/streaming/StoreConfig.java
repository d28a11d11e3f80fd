package dev.seqrec.streaming;

/**
 * How a writable {@link RocksSequenceStore} is opened.
 *
 * @param maxSequenceLength items kept per user; older ones are dropped on append
 * @param blockCacheBytes   RocksDB block cache shared by all column families
 * @param appendCacheBytes  heap for the ingest writers' user tails (shared among them), so appends skip reading
 *                          sequences back from RocksDB and coalesce in memory between flushes; 0 turns caching off
 * @param syncWrites        fsync the WAL on every batch (survives a machine crash, not just a process crash)
 */
public record StoreConfig(int maxSequenceLength, long blockCacheBytes, long appendCacheBytes, boolean syncWrites) {
    public static final int DEFAULT_MAX_SEQUENCE_LENGTH = 200;
    public static final long DEFAULT_BLOCK_CACHE_BYTES = 64L << 20;
    public static final long DEFAULT_APPEND_CACHE_BYTES = 128L << 20;

    public StoreConfig {
        if (maxSequenceLength < 1) {
            throw new IllegalArgumentException("maxSequenceLength must be at least 1, got " + maxSequenceLength);
        }
        if (blockCacheBytes < 0 || appendCacheBytes < 0) {
            throw new IllegalArgumentException("cache sizes must not be negative");
        }
    }

    public static StoreConfig defaults() {
        return new StoreConfig(DEFAULT_MAX_SEQUENCE_LENGTH, DEFAULT_BLOCK_CACHE_BYTES, DEFAULT_APPEND_CACHE_BYTES, false);
    }

    public StoreConfig withMaxSequenceLength(int length) {
        return new StoreConfig(length, blockCacheBytes, appendCacheBytes, syncWrites);
    }

    public StoreConfig withAppendCacheBytes(long bytes) {
        return new StoreConfig(maxSequenceLength, blockCacheBytes, bytes, syncWrites);
    }
}
