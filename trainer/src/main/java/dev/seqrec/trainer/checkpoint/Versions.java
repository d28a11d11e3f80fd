package dev.seqrec.trainer.checkpoint;

import org.nd4j.linalg.factory.Nd4j;

/** Software versions recorded in checkpoints, read from the jar manifests ("development" when run from classes). */
public final class Versions {
    private static final String UNKNOWN = "development";

    private Versions() {
    }

    public static String seqrec() {
        String v = Versions.class.getPackage().getImplementationVersion();
        return v == null ? UNKNOWN : v;
    }

    public static String nd4j() {
        String v = Nd4j.class.getPackage().getImplementationVersion();
        return v == null ? UNKNOWN : v;
    }
}
