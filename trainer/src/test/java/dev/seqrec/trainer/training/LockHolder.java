package dev.seqrec.trainer.training;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A second process for lock tests: locks the file named by its argument as a training run would, prints
 * {@code locked} (or {@code busy} when another process holds it), and keeps the lock until its stdin closes.
 */
public final class LockHolder {
    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            System.out.println(lock == null ? "busy" : "locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock until the test closes our stdin
            }
        }
    }

    /** Starts a holder of {@code file} in a new JVM and waits until it says whether it got the lock. */
    static Process start(Path file, StringBuilder said) throws Exception {
        Path classes = Path.of(LockHolder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                classes.toString(), LockHolder.class.getName(), file.toString()).redirectErrorStream(true).start();
        said.append(new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine());
        return p;
    }
}
