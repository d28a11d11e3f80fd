package dev.seqrec.trainer.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/** Software versions recorded in checkpoints, read from the jar manifests ("development" when run from classes). */
public final class Versions {
    private static final String UNKNOWN = "development";
    private static final String ND4J_POM_PROPERTIES = "/META-INF/maven/org.nd4j/nd4j-api/pom.properties";

    private Versions() {
    }

    public static String seqrec() {
        String v = Versions.class.getPackage().getImplementationVersion();
        return v == null ? UNKNOWN : v;
    }

    /** From the nd4j-api jar's Maven metadata (its manifest carries no version). */
    public static String nd4j() {
        try (InputStream in = Nd4j.class.getResourceAsStream(ND4J_POM_PROPERTIES)) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", UNKNOWN);
        } catch (IOException e) {
            return UNKNOWN;
        }
    }
}
