package dev.seqrec.recommender;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Waiting on a latch from inside a scoring stand-in, where only unchecked exceptions may leave. */
final class Latches {
    /** Far longer than any step of these tests takes: only a hang runs into it. */
    static final long HANG_GUARD_SECONDS = 30;

    private Latches() {
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("waited " + HANG_GUARD_SECONDS + " s in vain");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
