package dev.seqrec.report;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

/**
 * An exclusive operating-system lock on a file inside a directory, held while one process works in that directory
 * (a training run, a broker). The system releases it when the process ends, however it ends.
 *
 * <p>The file stays after {@link #close()}: deleting it would let a process that opened it just before the deletion
 * hold a lock on a file that the next one no longer sees.
 */
public final class DirectoryLock implements AutoCloseable {
    /**
     * Lock files held by this JVM. The system's locks are per process, and on some systems closing any channel to a
     * file drops the process's lock on it: a second holder in the same JVM must not even open the file.
     */
    private static final Set<Object> HELD = new HashSet<>();

    private final Path file;
    /** The file's identity in {@link #HELD}: another spelling, a link or a mount of it is the same file. */
    private final Object key;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Path file, Object key, FileChannel channel, FileLock lock) {
        this.file = file;
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dir/fileName}, creating the file if needed.
     *
     * @param dir an existing directory
     * @throws InUseException when another process, or another holder in this one, has the lock
     * @throws IOException    when the file cannot be created or locked
     */
    public static DirectoryLock acquire(Path dir, String fileName) throws IOException {
        if (fileName.isEmpty() || fileName.equals(".") || fileName.equals("..")
                || !Path.of(fileName).getFileName().toString().equals(fileName)) {
            throw new IllegalArgumentException("a lock file's name must be a plain file name, got '" + fileName + "'");
        }
        Path file = dir.toRealPath().resolve(fileName);
        Object key;
        synchronized (HELD) {
            key = identity(file);
            if (!HELD.add(key)) {
                throw new InUseException(file);
            }
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) { // locked in this JVM, though not through this class
                lock = null;
            }
            if (lock == null) {
                throw new InUseException(file);
            }
            return new DirectoryLock(file, key, channel, lock);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            synchronized (HELD) {
                HELD.remove(key);
            }
            throw e;
        }
    }

    /**
     * The lock file's identity (device and inode where the system has them), created first if absent: creating and
     * closing a file nobody has yet cannot drop a lock on it.
     */
    private static Object identity(Path file) throws IOException {
        try {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            // the usual case: the file outlives its locks
        }
        Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        return key != null ? key : file.toRealPath();
    }

    /** The lock file. */
    public Path file() {
        return file;
    }

    /** Releases the lock; closing twice does nothing more. */
    @Override
    public synchronized void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        try {
            lock.release();
            channel.close();
        } finally {
            synchronized (HELD) {
                HELD.remove(key);
            }
        }
    }

    /** Another process, or another holder in this one, has the lock on {@link #file()}. */
    public static final class InUseException extends IOException {
        private final Path file;

        InUseException(Path file) {
            super(file + " is locked by another holder");
            this.file = file;
        }

        public Path file() {
            return file;
        }
    }
}
