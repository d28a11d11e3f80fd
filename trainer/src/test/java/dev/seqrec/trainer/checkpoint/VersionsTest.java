package dev.seqrec.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class VersionsTest {

    private static Properties git(String commit, String dirty) {
        Properties p = new Properties();
        p.setProperty("git.commit.id.abbrev", commit);
        p.setProperty("git.dirty", dirty);
        return p;
    }

    @Test
    void versionCarriesTheBuildCommitAsBuildMetadata() {
        assertEquals("0.1.0+1e45d7259d7f", Versions.withBuild("0.1.0", git("1e45d7259d7f", "false")));
    }

    @Test
    void buildFromUncommittedChangesIsMarkedDirty() {
        assertEquals("0.1.0+1e45d7259d7f.dirty", Versions.withBuild("0.1.0", git("1e45d7259d7f", "true")));
    }

    @Test
    void buildOutsideGitKeepsThePlainVersion() {
        assertEquals("0.1.0", Versions.withBuild("0.1.0", new Properties()));
    }
}
