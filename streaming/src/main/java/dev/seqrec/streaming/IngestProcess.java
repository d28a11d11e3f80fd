package dev.seqrec.streaming;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Ingestion as the main job of a process ({@code seqrec ingest}): runs until SIGTERM or SIGINT, then finishes the
 * batch in progress and closes the store cleanly (a SIGKILL is survived too, by the stored offsets).
 */
public final class IngestProcess {
    private static final System.Logger LOG = System.getLogger(IngestProcess.class.getName());

    private IngestProcess() {
    }

    /** Blocks until the process is asked to stop; throws if ingestion fails on its own. */
    public static void runUntilStopped(IngestConfig config, Path storeDir, StoreConfig storeConfig)
            throws InterruptedException {
        RocksSequenceStore store = RocksSequenceStore.open(storeDir, storeConfig);
        InteractionIngestor ingestor = new InteractionIngestor(config, store);
        CountDownLatch shutDown = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            ingestor.close();
            store.close();
            // Straight to stderr: java.util.logging may already be shut down by its own hook.
            System.err.println("ingest " + config.topic() + ": stopped cleanly, store " + storeDir + " closed");
            shutDown.countDown();
        }, "seqrec-ingest-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        LOG.log(System.Logger.Level.INFO, "ingest " + config.topic() + " from " + config.bootstrapServers()
                + " into " + storeDir + " (each user's last " + store.maxSequenceLength() + " items, group "
                + config.groupId() + ", dead letters to " + config.dlqTopic() + ")");
        ingestor.start();
        ingestor.awaitTermination(Duration.ofMillis(Long.MAX_VALUE));
        Throwable failure = ingestor.failure();
        if (failure == null) {
            shutDown.await(); // the hook is closing; the JVM exits once it returns
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            shutDown.await();
        }
        store.close();
        throw new IllegalStateException("ingestion stopped: " + failure.getMessage(), failure);
    }
}
