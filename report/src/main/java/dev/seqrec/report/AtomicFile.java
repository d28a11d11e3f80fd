package dev.seqrec.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Random;

/**
 * Files that appear complete or not at all: written to a temporary sibling, then renamed over the target. The sibling
 * is created as any new file is, so the process's umask sets its permissions; {@code Files.createTempFile} would make
 * it, and with it the result, readable by its owner only (a server running as another user could not load it).
 */
public final class AtomicFile {
    /** What a temporary sibling's name carries after {@code .NAME}. */
    public static final String TEMP_INFIX = ".tmp-";
    private static final Random NAMES = new SecureRandom();

    /** Fills the temporary file it is given. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path file) throws IOException;
    }

    private AtomicFile() {
    }

    /** Writes {@code file} through {@code content}; on failure the target is as it was and no temporary file is left. */
    public static void write(Path file, Content content) throws IOException {
        Path target = file.toAbsolutePath().normalize();
        Files.createDirectories(target.getParent());
        Path temp = newSibling(target, TEMP_INFIX, false);
        try {
            content.writeTo(temp);
            replace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public static void writeString(Path file, String text) throws IOException {
        write(file, temp -> Files.writeString(temp, text, StandardCharsets.UTF_8));
    }

    /**
     * A new empty file or directory beside {@code target}, named {@code .NAME<infix><random>}, with the permissions a
     * new file or directory gets.
     */
    public static Path newSibling(Path target, String infix, boolean directory) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        while (true) {
            Path candidate = absolute.resolveSibling("." + absolute.getFileName() + infix
                    + Long.toUnsignedString(NAMES.nextLong(), Character.MAX_RADIX));
            try {
                return directory ? Files.createDirectory(candidate) : Files.createFile(candidate);
            } catch (FileAlreadyExistsException e) {
                // another writer's: draw another name
            }
        }
    }

    /** Renames {@code from} over {@code to} atomically where the file system can. */
    public static void replace(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
