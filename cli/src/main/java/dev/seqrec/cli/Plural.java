package dev.seqrec.cli;

/** Counted nouns in what commands print: "1 user", "3 users". Every noun used takes a plain "s". */
final class Plural {
    private Plural() {
    }

    /** {@code n} and the noun, e.g. {@code 1 epoch}, {@code 2 epochs}. */
    static String count(long n, String singular) {
        return n + " " + noun(n, singular);
    }

    /** The noun for {@code n} of it, for counts formatted otherwise (with thousands separators, say). */
    static String noun(long n, String singular) {
        return n == 1 ? singular : singular + "s";
    }
}
