package dev.seqrec.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
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
    void theNewFileIsForcedToDiskBeforeItReplacesTheOldOneAndTheDirectoryAfter() throws IOException {
        Path out = Files.writeString(dir.resolve("out.json"), "old");
        List<String> events = new ArrayList<>();
        AtomicFile.write(out, temp -> Files.writeString(temp, "new"), new AtomicFile.Disk() {
            @Override
            public void force(Path file) throws IOException {
                events.add("force " + Files.readString(file) + " while the target holds " + Files.readString(out));
            }

            @Override
            public void forceDirectory(Path directory) {
                events.add("force " + directory.getFileName() + " once the target holds " + readUnchecked(out));
            }
        });
        assertEquals(List.of("force new while the target holds old",
                "force " + dir.getFileName() + " once the target holds new"), events);
    }

    private static String readUnchecked(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aTargetNameOfTheLongestAllowedLengthIsWritten() throws IOException {
        Path out = dir.resolve("r".repeat(AtomicFile.MAX_NAME_BYTES - ".json".length()) + ".json");
        AtomicFile.writeString(out, "x");
        assertEquals("x", Files.readString(out));
        assertEquals(List.of(out.getFileName().toString()), names());
    }

    @Test
    void longNamesAreCutShortWithoutSplittingACharacter() {
        assertEquals("ab", AtomicFile.truncate("ab\u00e9", 3)); // é takes two bytes
        assertEquals("ab\u00e9", AtomicFile.truncate("ab\u00e9", 4));
        assertEquals("", AtomicFile.truncate("\ud83d\ude00", 3)); // one four-byte character
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsNamedAndSaidToBeNoDirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("afile"), "x");
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> AtomicFile.writeString(file.resolve("out.json"), "y"));
        assertEquals(file + ": exists and is not a directory", e.getMessage());
        assertEquals("x", Files.readString(file));
    }

    @Test
    void theFileHasTheSamePermissionsAsAPlainNewFile() throws IOException {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        AtomicFile.writeString(dir.resolve("atomic.txt"), "x");
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(dir.resolve("atomic.txt")));
    }

    @Test
    void writingThroughASymlinkUpdatesItsTargetAndKeepsTheLink() throws Exception {
        Path real = Files.createDirectories(dir.resolve("shared")).resolve("results.md");
        Files.writeString(real, "old");
        Path link = Files.createSymbolicLink(dir.resolve("results.md"), real);
        AtomicFile.writeString(link, "new");
        assertTrue(Files.isSymbolicLink(link), "the link was replaced by a regular file");
        assertEquals("new", Files.readString(real));
    }

    @Test
    void rewritingAFileKeepsItsPermissions() throws Exception {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path file = dir.resolve("private.properties");
        Files.writeString(file, "a");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        AtomicFile.writeString(file, "b");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
}
