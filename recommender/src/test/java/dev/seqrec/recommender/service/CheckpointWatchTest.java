package dev.seqrec.recommender.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.seqrec.recommender.Recommender;
import dev.seqrec.recommender.TestCheckpoints;
import dev.seqrec.trainer.checkpoint.Checkpoint;
import dev.seqrec.streaming.RocksSequenceStore;
import dev.seqrec.streaming.StoreConfig;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * With watch-checkpoint on, a checkpoint saved over the served one is picked up without a call, and the watcher acts
 * only on such changes, so an admin reload of another checkpoint stays in effect.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckpointWatchTest implements TestPropertyProvider {
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(100);
    /** Looks at the directory after which a watcher that would undo a reload has done so. */
    private static final int WATCH_CHECKS = 3;
    private static final String TOKEN = "watch-test";

    @Inject
    Recommender recommender;
    @Inject
    EmbeddedServer server;
    @Inject
    ModelLifecycle lifecycle;
    private Path checkpoint;
    private Path other;

    @Override
    public Map<String, String> getProperties() {
        try {
            Path dir = Files.createTempDirectory("seqrec-watch-test");
            checkpoint = TestCheckpoints.write(dir.resolve("current"), 1);
            other = TestCheckpoints.write(dir.resolve("other"), 3);
            Path store = dir.resolve("store");
            RocksSequenceStore.open(store, StoreConfig.defaults()).close();
            return Map.of("micronaut.server.port", "-1",
                    "seqrec.serve.checkpoint", checkpoint.toString(),
                    "seqrec.serve.store", store.toString(),
                    "seqrec.serve.watch-checkpoint", "true",
                    "seqrec.serve.watch-interval", WATCH_INTERVAL.toMillis() + "ms",
                    "seqrec.serve.admin-token", TOKEN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aNewCheckpointInTheWatchedDirectoryIsServed() throws Exception {
        String before = recommender.model().version();
        TestCheckpoints.write(checkpoint, 2);
        assertPickedUp(before);
    }

    @Test
    void anAdminReloadOfAnotherCheckpointIsNotUndoneByTheWatcher() throws Exception {
        HttpProbe.Answer swap = new HttpProbe(server.getPort()).post("/v1/admin/model",
                "{\"checkpoint\":\"" + other + "\"}", TOKEN);
        assertEquals(200, swap.status(), swap.body());
        long checks = lifecycle.watchChecks() + WATCH_CHECKS; // each counted from now on began after the reload
        Await.until(() -> lifecycle.watchChecks() >= checks, "the watcher did not look " + WATCH_CHECKS + " times");
        assertEquals(Checkpoint.modelVersion(other), recommender.model().version());
    }

    @Test
    void theWatchedDirectoryChangingAfterAnAdminReloadIsServed() throws Exception {
        HttpProbe.Answer swap = new HttpProbe(server.getPort()).post("/v1/admin/model",
                "{\"checkpoint\":\"" + other + "\"}", TOKEN);
        assertEquals(200, swap.status(), swap.body());
        // The served version is not read after the write: the watcher may already have swapped it in by then.
        TestCheckpoints.write(checkpoint, 4);
        assertPickedUp(Checkpoint.modelVersion(other));
    }

    /** Waits for the watched directory's current checkpoint, which differs from {@code before}, to be served. */
    private void assertPickedUp(String before) throws Exception {
        String expected = Checkpoint.modelVersion(checkpoint);
        assertNotEquals(before, expected);
        Await.until(() -> recommender.model().version().equals(expected), "model " + expected + " is not served");
    }
}
