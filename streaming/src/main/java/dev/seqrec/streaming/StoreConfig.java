package dev.seqrec.streaming;

/**
 * How a writable {@link RocksSequenceStore} is opened.
 *
 * @param maxSequenceLength items kept per user; older ones are dropped on append
 * @param blockCacheBytes   RocksDB block cache shared by all column families
 * @param syncWrites        fsync the WAL on every batch (survives a machine crash, not just a process crash)
 */
public record StoreConfig(int maxSequenceLength, long blockCacheBytes, boolean syncWrites) {
    public static final int DEFAULT_MAX_SEQUENCE_LENGTH = 200;
    public static final long DEFAULT_BLOCK_CACHE_BYTES = 64L << 20;

    public StoreConfig {
        if (maxSequenceLength < 1) {
            throw new IllegalArgumentException("maxSequenceLength must be at least 1, got " + maxSequenceLength);
        }
        if (blockCacheBytes < 0) {
            throw new IllegalArgumentException("blockCacheBytes must not be negative, got " + blockCacheBytes);
        }
    }

    public static StoreConfig defaults() {
        return new StoreConfig(DEFAULT_MAX_SEQUENCE_LENGTH, DEFAULT_BLOCK_CACHE_BYTES, false);
    }

    public StoreConfig withMaxSequenceLength(int length) {
        return new StoreConfig(length, blockCacheBytes, syncWrites);
    }
}
