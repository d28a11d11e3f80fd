package dev.seqrec.recommender.service;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for what a test needs to have happened; the limit only guards against a hang, it measures nothing. */
final class Await {
    static final Duration HANG_GUARD = Duration.ofMinutes(2);
    private static final long POLL_MILLIS = 20;

    private Await() {
    }

    /** Returns once {@code condition} holds; fails saying {@code notYet} if it still does not after the guard. */
    static void until(BooleanSupplier condition, String notYet) throws InterruptedException {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(notYet + " after " + HANG_GUARD.toSeconds() + " s");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
