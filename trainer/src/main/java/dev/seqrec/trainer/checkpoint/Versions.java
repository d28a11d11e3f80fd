package dev.seqrec.trainer.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/** Software versions recorded in checkpoints, from the jar manifests ("development" when run from classes) and the build. */
public final class Versions {
    private static final String UNKNOWN = "development";
    private static final String ND4J_POM_PROPERTIES = "/META-INF/maven/org.nd4j/nd4j-api/pom.properties";
    /** Written by the build (git-commit-id-maven-plugin) next to this class. */
    private static final String GIT_PROPERTIES = "git.properties";

    private Versions() {
    }

    /**
     * seqrec's version with the build's commit as build metadata, e.g. {@code 0.1.0-SNAPSHOT+1e45d7259d7f}, and
     * {@code .dirty} when the checkout had uncommitted changes; without a commit (a build outside git) the version
     * alone.
     */
    public static String seqrec() {
        String v = Versions.class.getPackage().getImplementationVersion();
        return withBuild(v == null ? UNKNOWN : v, load(GIT_PROPERTIES, Versions.class));
    }

    /** {@code version}, plus the commit and dirty flag of {@code git} (the build's git.properties) when it has them. */
    static String withBuild(String version, Properties git) {
        String commit = git.getProperty("git.commit.id.abbrev", "");
        if (commit.isEmpty()) {
            return version;
        }
        return version + "+" + commit + (Boolean.parseBoolean(git.getProperty("git.dirty")) ? ".dirty" : "");
    }

    /** From the nd4j-api jar's Maven metadata (its manifest carries no version). */
    public static String nd4j() {
        return load(ND4J_POM_PROPERTIES, Nd4j.class).getProperty("version", UNKNOWN);
    }

    /** The properties resource, empty when it is missing or unreadable. */
    private static Properties load(String resource, Class<?> owner) {
        Properties properties = new Properties();
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            properties.clear();
        }
        return properties;
    }
}
