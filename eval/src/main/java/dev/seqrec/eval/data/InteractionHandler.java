package dev.seqrec.eval.data;

import java.io.IOException;
import java.util.OptionalDouble;

/** Receives interactions one at a time, in external (file) ids. */
@FunctionalInterface
public interface InteractionHandler {
    /**
     * @param user      the user's id as written in the file
     * @param item      the item's id as written in the file
     * @param timestamp the row's timestamp, or empty when the file has no timestamp column
     */
    void interaction(String user, String item, OptionalDouble timestamp) throws IOException;
}
