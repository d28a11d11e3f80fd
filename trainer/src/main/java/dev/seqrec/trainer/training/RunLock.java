package dev.seqrec.trainer.training;

import dev.seqrec.report.DirectoryLock;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An exclusive lock on a training output directory for the whole of a run ({@link DirectoryLock} on
 * {@code OUT/.lock}). Checkpoint saves assume a single writer (a save clears the temporary directories it finds
 * beside its target), and two runs writing one directory would mix their {@code best/}, {@code last/} and curves.
 */
final class RunLock {
    static final String FILE = ".lock";

    private RunLock() {
    }

    /**
     * @param out an existing directory
     * @throws IOException saying that another run holds it, or why it cannot be locked
     */
    static DirectoryLock acquire(Path out) throws IOException {
        try {
            return DirectoryLock.acquire(out, FILE);
        } catch (DirectoryLock.InUseException e) {
            throw new IOException(out + " is in use by another training run (it holds " + e.file()
                    + "); wait for that run to end, or choose another --out", e);
        } catch (IOException e) {
            throw new IOException("cannot lock " + out.resolve(FILE) + " for this run: " + e.getMessage(), e);
        }
    }
}
