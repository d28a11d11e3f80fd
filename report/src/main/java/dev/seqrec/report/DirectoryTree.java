package dev.seqrec.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A directory with everything below it. */
public final class DirectoryTree {
    private DirectoryTree() {
    }

    /**
     * Deletes {@code dir} and everything below it; nothing when it does not exist. Entries that vanish meanwhile
     * (another process cleaning up too) are no error. Links are deleted, never followed.
     */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
