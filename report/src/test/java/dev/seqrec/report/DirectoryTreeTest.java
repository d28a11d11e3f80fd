package dev.seqrec.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryTreeTest {
    @TempDir
    Path dir;

    @Test
    void deletingRemovesEverythingBelowAndLeavesSiblings() throws IOException {
        Path tree = Files.createDirectories(dir.resolve("tree/a/b"));
        Files.writeString(tree.resolve("f.txt"), "x");
        Files.writeString(dir.resolve("tree/g.txt"), "y");
        Path sibling = Files.writeString(dir.resolve("sibling.txt"), "z");
        DirectoryTree.delete(dir.resolve("tree"));
        assertFalse(Files.exists(dir.resolve("tree")));
        assertTrue(Files.exists(sibling));
    }

    @Test
    void deletingWhatDoesNotExistDoesNothing() throws IOException {
        DirectoryTree.delete(dir.resolve("nothing-here"));
        assertTrue(Files.isDirectory(dir));
    }
}
