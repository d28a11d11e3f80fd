package dev.seqrec.eval.data;

/**
 * Which characters an external user or item id may not hold, for every reader and producer of ids: a .txt line
 * separates its ids by whitespace, so an id is one token. Java's own test ({@link Character#isWhitespace}) misses the
 * no-break spaces, and the invisible zero-width space, word joiner and byte-order mark (left mid-file by
 * concatenation) make "5" and "\u200B5" two ids that print alike. Other format characters stay allowed: the
 * zero-width joiner is part of many emoji, and Persian spelling needs the zero-width non-joiner.
 */
public final class IdCharacters {
    private static final char ZERO_WIDTH_SPACE = '\u200B';
    private static final char WORD_JOINER = '\u2060';
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private IdCharacters() {
    }

    /** Whether {@code c} may not appear in an id: whitespace of any kind, a control or an invisible separator. */
    public static boolean refused(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)
                || c == ZERO_WIDTH_SPACE || c == WORD_JOINER || c == BYTE_ORDER_MARK;
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
