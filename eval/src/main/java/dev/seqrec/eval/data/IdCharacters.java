package dev.seqrec.eval.data;

/**
 * Which characters an external user or item id may not hold, for every reader and producer of ids: a .txt line
 * separates its ids by whitespace, so an id is one token. Java's own test ({@link Character#isWhitespace}) misses the
 * no-break spaces, and invisible format characters (a zero-width space, a byte-order mark left mid-file by
 * concatenation) make "5" and "\u200B5" two ids that print alike.
 */
public final class IdCharacters {
    private IdCharacters() {
    }

    /** Whether {@code c} may not appear in an id: whitespace of any kind, a control or a format character. */
    public static boolean refused(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT;
    }

    /** Index of the first character of {@code id} that {@link #refused} names, or -1. */
    public static int firstRefused(String id) {
        for (int i = 0; i < id.length(); i++) {
            if (refused(id.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
