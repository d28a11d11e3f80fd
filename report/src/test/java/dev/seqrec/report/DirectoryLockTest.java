package dev.seqrec.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
