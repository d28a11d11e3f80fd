package dev.seqrec.streaming;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The writer's least-recently-used cache of encoded sequences, bounded in bytes. Not thread-safe: only the store's
 * append path (which is serialised) uses it, and it always holds what the last successful write stored.
 */
final class RecentSequenceCache {
    /** Rough heap cost of an entry beyond its key and value bytes (map node, array header). */
    private static final int ENTRY_OVERHEAD_BYTES = 64;

    private final long capacityBytes;
    private final LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>(1024, 0.75f, true);
    private long bytes;

    RecentSequenceCache(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    byte[] get(String user) {
        return capacityBytes == 0 ? null : entries.get(user);
    }

    void put(String user, byte[] value) {
        if (capacityBytes == 0) {
            return;
        }
        byte[] old = entries.put(user, value);
        bytes += value.length + (old == null ? cost(user) : -old.length);
        for (Iterator<Map.Entry<String, byte[]>> it = entries.entrySet().iterator(); bytes > capacityBytes && it.hasNext(); ) {
            Map.Entry<String, byte[]> eldest = it.next();
            bytes -= eldest.getValue().length + cost(eldest.getKey());
            it.remove();
        }
    }

    void clear() {
        entries.clear();
        bytes = 0;
    }

    private static long cost(String key) {
        return ENTRY_OVERHEAD_BYTES + 2L * key.length();
    }
}
