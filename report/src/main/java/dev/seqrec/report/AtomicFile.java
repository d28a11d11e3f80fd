package dev.seqrec.report;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Random;

/**
 * Files that appear complete or not at all: written to a temporary sibling, forced to disk, then renamed over the
 * target, and the directory forced too, so that neither a crash of the process nor one of the machine can leave a
 * partial or empty file in place of the old one (some file systems reorder a rename before the data it names without
 * the first force, and may lose the rename itself without the second). The sibling is created as any new file is,
 * so the process's umask sets its permissions; {@code Files.createTempFile} would make it, and with it the result,
 * readable by its owner only (a server running as another user could not load it).
 */
public final class AtomicFile {
    /** What a temporary sibling's name carries after {@code .NAME}. */
    public static final String TEMP_INFIX = ".tmp-";
    /** Longest file name, in UTF-8 bytes, that Linux's and macOS's common file systems take. */
    static final int MAX_NAME_BYTES = 255;
    /** Longest random part of a sibling's name: an unsigned long in base 36. */
    private static final int MAX_RANDOM_CHARS = Long.toUnsignedString(-1L, Character.MAX_RADIX).length();
    private static final Random NAMES = new SecureRandom();

    /** Fills the temporary file it is given. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path file) throws IOException;
    }

    /** How written data reaches the disk; a seam for tests, which record the order of forces and renames. */
    interface Disk {
        Disk SYNC = new Disk() {
            @Override
            public void force(Path file) throws IOException {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }

            @Override
            public void forceDirectory(Path dir) {
                AtomicFile.forceDirectory(dir);
            }
        };

        void force(Path file) throws IOException;

        void forceDirectory(Path dir);
    }

    private AtomicFile() {
    }

    /** Writes {@code file} through {@code content}; on failure the target is as it was and no temporary file is left. */
    public static void write(Path file, Content content) throws IOException {
        write(file, content, Disk.SYNC);
    }

    static void write(Path file, Content content, Disk disk) throws IOException {
        Path target = file.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(target) && Files.exists(target)) {
            target = target.toRealPath(); // the file the link names, rather than the link replaced by a copy
        }
        Path parent = target.getParent();
        createParent(parent);
        Path temp = newSibling(target, TEMP_INFIX, false);
        try {
            content.writeTo(temp);
            keepPermissions(target, temp);
            disk.force(temp);
            replace(temp, target);
            disk.forceDirectory(parent);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A rewritten file keeps who may read it: the new one was created with the process's umask. */
    private static void keepPermissions(Path target, Path temp) throws IOException {
        if (!Files.exists(target)) {
            return;
        }
        try {
            Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the defaults stay
        }
    }

    public static void writeString(Path file, String text) throws IOException {
        write(file, temp -> Files.writeString(temp, text, StandardCharsets.UTF_8));
    }

    /** Creates {@code dir} and its parents; where a file stands in the way, says so instead of naming it alone. */
    private static void createParent(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new FileSystemException(e.getFile(), null, "exists and is not a directory");
        }
    }

    /**
     * A new empty file or directory beside {@code target}, named {@code .NAME<infix><random>}, with the permissions a
     * new file or directory gets. NAME is cut short where the whole would pass the file systems' 255-byte limit on a
     * name, which a target name of up to 255 bytes keeps to.
     */
    public static Path newSibling(Path target, String infix, boolean directory) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        String name = truncate(absolute.getFileName().toString(),
                MAX_NAME_BYTES - 1 - infix.getBytes(StandardCharsets.UTF_8).length - MAX_RANDOM_CHARS);
        while (true) {
            Path candidate = absolute.resolveSibling("." + name + infix
                    + Long.toUnsignedString(NAMES.nextLong(), Character.MAX_RADIX));
            try {
                return directory ? Files.createDirectory(candidate) : Files.createFile(candidate);
            } catch (FileAlreadyExistsException e) {
                // another writer's: draw another name
            }
        }
    }

    /** The longest start of {@code name} of at most {@code maxBytes} UTF-8 bytes that splits no character. */
    static String truncate(String name, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < name.length()) {
            int codePoint = name.codePointAt(end);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return name.substring(0, end);
    }

    /** Renames {@code from} over {@code to} atomically where the file system can. */
    public static void replace(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Forces a directory's entries (a rename into it, say) to disk where the platform allows it: Linux does, Windows
     * cannot open a directory, so there it is a no-op.
     */
    public static void forceDirectory(Path dir) {
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            // best effort: the file's data itself was forced before the rename
        }
    }
}
