package dev.seqrec.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondHolderIsRefusedNamingTheLockFile() throws Exception {
        try (DirectoryLock held = DirectoryLock.acquire(dir, ".lock")) {
            DirectoryLock.InUseException e = assertThrows(DirectoryLock.InUseException.class,
                    () -> DirectoryLock.acquire(dir, ".lock"));
            assertEquals(held.file(), e.file());
        }
    }

    @Test
    void theLockIsFreeAgainOnceClosedAndItsFileStays() throws Exception {
        DirectoryLock first = DirectoryLock.acquire(dir, ".lock");
        first.close();
        first.close(); // closing twice does nothing more
        try (DirectoryLock again = DirectoryLock.acquire(dir, ".lock")) {
            assertTrue(Files.exists(again.file()));
        }
    }

    @Test
    void locksOnOtherFilesOfOneDirectoryAreIndependent() throws Exception {
        try (DirectoryLock a = DirectoryLock.acquire(dir, "a.lock");
             DirectoryLock b = DirectoryLock.acquire(dir, "b.lock")) {
            assertEquals(dir.toRealPath().resolve("b.lock"), b.file());
        }
    }

    /**
     * The lock file under another name (a link here; a bind mount alike) is the same lock: refused without opening it,
     * as closing any channel to the file drops this process's lock on it.
     */
    @Test
    void theLockFileReachedUnderAnotherNameIsRefusedAndStaysLocked() throws Exception {
        try (DirectoryLock held = DirectoryLock.acquire(dir, ".lock")) {
            Files.createSymbolicLink(dir.resolve("alias"), held.file());
            assertThrows(DirectoryLock.InUseException.class, () -> DirectoryLock.acquire(dir, "alias"));
            assertEquals("locked", otherProcessTriesToLock(held.file()));
        }
    }

    @Test
    void aLockFileNameWithADirectoryPartIsRefused() {
        for (String name : List.of("./.lock", "sub/.lock", "..", "")) {
            assertThrows(IllegalArgumentException.class, () -> DirectoryLock.acquire(dir, name), name);
        }
    }

    /** "locked" or "free": what another JVM's tryLock finds (the system's locks are per process). */
    private String otherProcessTriesToLock(Path file) throws Exception {
        Path probe = Files.writeString(dir.resolve("Probe.java"), """
                import java.nio.channels.FileChannel;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                public class Probe {
                    public static void main(String[] args) throws Exception {
                        try (FileChannel c = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
                            System.out.print(c.tryLock() == null ? "locked" : "free");
                        }
                    }
                }
                """);
        Process java = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), probe.toString(),
                file.toString()).redirectErrorStream(true).start();
        String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(java.waitFor(60, TimeUnit.SECONDS));
        return out.strip();
    }
}
