package dev.seqrec.streaming;

import java.util.List;

/**
 * Every user's ordered item sequence, as ingested. Reads answer in original (string) ids.
 */
public interface SequenceStore extends AutoCloseable {

    /** The user's most recent {@code n} items, oldest first; empty for an unknown user. */
    List<String> recentItems(String userId, int n);

    @Override
    void close();
}
