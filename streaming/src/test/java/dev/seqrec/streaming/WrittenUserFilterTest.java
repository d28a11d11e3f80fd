package dev.seqrec.streaming;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WrittenUserFilterTest {
    private static byte[] user(int i) {
        return ("user-" + i).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aNewFilterHasSeenNobody() {
        WrittenUserFilter filter = new WrittenUserFilter(1024);
        for (int i = 0; i < 1000; i++) {
            assertFalse(filter.mightContain(user(i)));
        }
    }

    @Test
    void everyUserAddedIsFound() {
        WrittenUserFilter filter = new WrittenUserFilter(16 * 1024);
        for (int i = 0; i < 8192; i++) {
            filter.add(user(i));
        }
        for (int i = 0; i < 8192; i++) {
            assertTrue(filter.mightContain(user(i)), "user-" + i);
        }
    }

    @Test
    void fullToCapacityAboutOneUnseenUserInAHundredIsAMaybe() {
        WrittenUserFilter filter = new WrittenUserFilter(64 * 1024);
        assertEquals(32_768, filter.capacity()); // 16 bits per user
        for (int i = 0; i < filter.capacity(); i++) {
            filter.add(user(i));
        }
        int maybes = 0;
        int unseen = 100_000;
        for (int i = 0; i < unseen; i++) {
            if (filter.mightContain(user(1_000_000 + i))) {
                maybes++;
            }
        }
        assertTrue(maybes < unseen / 50, maybes + " of " + unseen + " unseen users were a maybe");
    }

    @Test
    void usersAddedFromSeveralThreadsAtOnceAreAllFound() throws Exception {
        WrittenUserFilter filter = new WrittenUserFilter(8 * 1024);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int first = t * 1000;
            threads[t] = new Thread(() -> {
                for (int i = first; i < first + 1000; i++) {
                    filter.add(user(i));
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        for (int i = 0; i < 4000; i++) {
            assertTrue(filter.mightContain(user(i)), "user-" + i);
        }
    }

    @Test
    void growsInLevelsFourTimesTheLastAndFindsTheUsersOfEvery() {
        // 640 KiB: levels of 65,536 and 262,144 users (128 and 512 KiB)
        WrittenUserFilter filter = new WrittenUserFilter(640 * 1024);
        assertEquals(65_536 + 262_144, filter.capacity());
        for (int i = 0; i < 100_000; i++) {
            filter.add(user(i));
        }
        for (int i = 0; i < 100_000; i++) {
            assertTrue(filter.mightContain(user(i)), "user-" + i);
        }
    }

    @Test
    void holdsAUserForEveryTwoBytes() {
        assertEquals(0, new WrittenUserFilter(1).capacity());
        assertEquals(4, new WrittenUserFilter(8).capacity());
        assertEquals(8, new WrittenUserFilter(17).capacity());
    }
}
