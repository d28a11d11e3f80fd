package dev.seqrec.trainer.training;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * An exclusive lock on a training output directory for the whole of a run: an operating-system lock on
 * {@code OUT/.lock}, which the system releases when the process ends, however it ends. Checkpoint saves assume a
 * single writer (a save clears the temporary directories it finds beside its target), and two runs writing one
 * directory would mix their {@code best/}, {@code last/} and curves.
 *
 * <p>The file stays after the run: deleting it would let a run that opened it just before the deletion hold a lock
 * on a file that the next run no longer sees.
 */
final class RunLock implements AutoCloseable {
    static final String FILE = ".lock";
    /**
     * Directories locked by this JVM. The system's locks are per process, and on some systems closing any channel
     * to a file drops the process's lock on it: a second run in the same JVM must not even open the file.
     */
    private static final Set<Path> HELD = new HashSet<>();

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @param out an existing directory
     * @throws IOException saying that another run holds it, or why it cannot be locked
     */
    static RunLock acquire(Path out) throws IOException {
        Path dir = out.toRealPath();
        Path file = dir.resolve(FILE);
        synchronized (HELD) {
            if (!HELD.add(dir)) {
                throw inUse(out, file);
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
                throw inUse(out, file);
            }
            return new RunLock(dir, channel, lock);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            synchronized (HELD) {
                HELD.remove(dir);
            }
            if (e instanceof InUseException) {
                throw e;
            }
            throw new IOException("cannot lock " + file + " for this run: " + e.getMessage(), e);
        }
    }

    private static InUseException inUse(Path out, Path file) {
        return new InUseException(out + " is in use by another training run (it holds " + file
                + "); wait for that run to end, or choose another --out");
    }

    /** Another run holds the directory. */
    static final class InUseException extends IOException {
        InUseException(String message) {
            super(message);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
            channel.close();
        } finally {
            synchronized (HELD) {
                HELD.remove(dir);
            }
        }
    }
}
