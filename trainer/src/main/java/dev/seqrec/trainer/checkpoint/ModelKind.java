package dev.seqrec.trainer.checkpoint;

import java.util.Locale;

/** Which training objective produced an encoder; all three share the SASRec encoder. */
public enum ModelKind {
    SASREC, CL4SREC, MCLREC;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a label such as {@code mclrec}, with an error listing the valid ones. */
    public static ModelKind parse(String label) {
        for (ModelKind kind : values()) {
            if (kind.label().equals(label.toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown model '" + label + "' (expected sasrec, cl4srec or mclrec)");
    }
}
