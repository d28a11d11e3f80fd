package dev.seqrec.eval.split;

/** Which held-out item of each user a leave-one-out evaluation uses. */
public enum Split {
    /** Second-to-last item; history = everything before it. */
    VALID,
    /** Last item; history = everything before it (the validation item included). */
    TEST;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
