package dev.seqrec.streaming;

import java.nio.charset.StandardCharsets;

/** External (string) ids as the store keys them: their UTF-8 bytes, which only well-formed Unicode has. */
final class IdBytes {
    private IdBytes() {
    }

    /**
     * Index of the first unpaired surrogate in {@code id}, or -1. Such an id has no UTF-8 form: Java encodes the
     * surrogate as '?', so "bob\ud800" would read and write user "bob?".
     */
    static int unpairedSurrogate(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < id.length()
                        && Character.isLowSurrogate(id.charAt(i + 1));
                if (!paired) {
                    return i;
                }
                i++;
            }
        }
        return -1;
    }

    /**
     * The UTF-8 bytes of {@code id}.
     *
     * @param what "user id" or "item id", for the message
     * @throws IllegalArgumentException if the id has an unpaired surrogate, rather than alias it to another id
     */
    static byte[] of(String id, String what) {
        int at = unpairedSurrogate(id);
        if (at >= 0) {
            throw new IllegalArgumentException(what + " is not valid Unicode (an unpaired surrogate at index " + at
                    + ")");
        }
        return id.getBytes(StandardCharsets.UTF_8);
    }
}
