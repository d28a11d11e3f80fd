package dev.seqrec.streaming;

import java.util.Collection;
import java.util.HashMap;

/**
 * The writer's cache of encoded sequences, bounded in bytes, so appends rarely read a sequence back from RocksDB. A
 * stripe that outgrows its share is emptied at once: cheaper on the hot path than least-recently-used bookkeeping,
 * and it refills from the users who are active now. Users are spread over independently locked stripes: concurrent appenders, which never share a
 * user, seldom wait for each other. Each entry is what the last successful write stored for that user.
 */
final class RecentSequenceCache {
    /** Rough heap cost of an entry beyond its key and value bytes (map node, array header). */
    private static final int ENTRY_OVERHEAD_BYTES = 64;
    private static final int STRIPES = 16;

    private final Stripe[] stripes;

    RecentSequenceCache(long capacityBytes) {
        stripes = new Stripe[capacityBytes == 0 ? 0 : STRIPES];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Stripe(capacityBytes / STRIPES);
        }
    }

    byte[] get(String user) {
        if (stripes.length == 0) {
            return null;
        }
        Stripe stripe = stripeOf(user);
        synchronized (stripe) {
            return stripe.entries.get(user);
        }
    }

    void put(String user, byte[] value) {
        if (stripes.length == 0) {
            return;
        }
        Stripe stripe = stripeOf(user);
        synchronized (stripe) {
            stripe.put(user, value);
        }
    }

    void invalidate(Collection<String> users) {
        for (String user : users) {
            if (stripes.length == 0) {
                return;
            }
            Stripe stripe = stripeOf(user);
            synchronized (stripe) {
                stripe.remove(user);
            }
        }
    }

    private Stripe stripeOf(String user) {
        return stripes[Math.floorMod(user.hashCode(), stripes.length)];
    }

    private static final class Stripe {
        final long capacityBytes;
        final HashMap<String, byte[]> entries = new HashMap<>();
        long bytes;

        Stripe(long capacityBytes) {
            this.capacityBytes = capacityBytes;
        }

        void put(String user, byte[] value) {
            byte[] old = entries.put(user, value);
            bytes += value.length + (old == null ? cost(user) : -old.length);
            if (bytes > capacityBytes) {
                entries.clear();
                bytes = 0;
            }
        }

        void remove(String user) {
            byte[] old = entries.remove(user);
            if (old != null) {
                bytes -= old.length + cost(user);
            }
        }

        private static long cost(String key) {
            return ENTRY_OVERHEAD_BYTES + 2L * key.length();
        }
    }
}
