package dev.seqrec.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aWrittenFileReplacesTheOldOneAndLeavesNothingElse() throws IOException {
        Files.writeString(dir.resolve("out.json"), "old");
        AtomicFile.writeString(dir.resolve("out.json"), "new");
        assertEquals("new", Files.readString(dir.resolve("out.json")));
        assertEquals(List.of("out.json"), names());
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndLeavesNothingElse() throws IOException {
        Files.writeString(dir.resolve("out.json"), "old");
        assertThrows(IOException.class, () -> AtomicFile.write(dir.resolve("out.json"), temp -> {
            Files.writeString(temp, "half");
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(dir.resolve("out.json")));
        assertEquals(List.of("out.json"), names());
    }

    @Test
    void theFileHasTheSamePermissionsAsAPlainNewFile() throws IOException {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        AtomicFile.writeString(dir.resolve("atomic.txt"), "x");
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(dir.resolve("atomic.txt")));
    }
}
