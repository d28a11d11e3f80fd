package dev.seqrec.recommender.service;

import dev.seqrec.recommender.Recommender;
import dev.seqrec.recommender.model.CheckpointLoader;
import dev.seqrec.recommender.model.ServingModel;
import dev.seqrec.trainer.checkpoint.Checkpoint;
import dev.seqrec.trainer.checkpoint.CheckpointException;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Swaps in new checkpoints. A checkpoint is loaded and checked completely before the swap, which is one atomic
 * reference update: requests already running finish on the old model, later ones use the new one. A checkpoint
 * that fails to load is rejected with one log line and the old model keeps serving.
 */
@Context
@Singleton
public class ModelLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(ModelLifecycle.class);

    /**
     * The outcome of a successful reload.
     *
     * @param modelVersion    the version of the model now served
     * @param previousVersion the version of the model it replaced
     * @param checkpoint      the checkpoint directory it was loaded from
     */
    @Serdeable
    public record Swap(String modelVersion, String previousVersion, String checkpoint) {
    }

    private final Recommender recommender;
    private final ServeConfig config;
    private final ServiceMetrics metrics;
    private final Ingestion ingestion;
    /**
     * The configured directory's version when it was last loaded or rejected (guarded by this). The watcher acts only
     * when the directory changes: comparing with the served model would undo an admin reload of another checkpoint,
     * and retry a broken one forever.
     */
    private String watchedVersion;
    private final PeriodicTask watcher;
    /** Looks the watcher has finished, see {@link #watchChecks()}. */
    private final AtomicLong watchChecks = new AtomicLong();

    public ModelLifecycle(Recommender recommender, ServeConfig config, ServiceMetrics metrics, Ingestion ingestion) {
        this.recommender = recommender;
        this.config = config;
        this.metrics = metrics;
        this.ingestion = ingestion;
        this.watchedVersion = recommender.model().version(); // the Recommender bean loaded the configured checkpoint
        this.watcher = config.watchCheckpoint()
                ? new PeriodicTask("seqrec-checkpoint-watch", config.watchInterval(), this::watch) : null;
    }

    @PreDestroy
    void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    /** Loads {@code dir} (null: the configured checkpoint) and serves it. */
    public synchronized Swap reload(String dir) throws CheckpointException {
        Path checkpoint = Path.of(dir == null || dir.isBlank() ? config.checkpoint() : dir);
        ServingModel next;
        try {
            next = loaded(checkpoint);
        } catch (CheckpointException e) {
            metrics.modelReload("rejected");
            LOG.error("rejected checkpoint {}: {}; still serving model {}", checkpoint, e.getMessage(),
                    recommender.model().version());
            throw e;
        }
        if (sameDirectory(checkpoint, Path.of(config.checkpoint()))) {
            watchedVersion = next.version();
        }
        ServingModel previous = recommender.swapModel(next);
        ingestion.modelChanged(recommender);
        metrics.modelServed(next.version());
        metrics.modelReload("swapped");
        LOG.info("now serving model {} ({}, {} items) from {}; replaced {}", next.version(), next.card().kind(),
                next.numItems(), checkpoint, previous.version());
        return new Swap(next.version(), previous.version(), checkpoint.toString());
    }

    /**
     * The checkpoint, loaded; any failure to load it is a rejection, so that the watcher records its version rather
     * than retry it every interval, and the admin endpoint answers 422.
     */
    private static ServingModel loaded(Path checkpoint) throws CheckpointException {
        try {
            return CheckpointLoader.load(checkpoint);
        } catch (RuntimeException e) {
            throw new CheckpointException(checkpoint + " cannot be loaded: " + e, e);
        }
    }

    private static boolean sameDirectory(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /** With {@code seqrec.serve.watch-checkpoint}, serves the configured checkpoint whenever its version changes. */
    private synchronized void watch() {
        try {
            serveIfChanged();
        } finally {
            watchChecks.incrementAndGet();
        }
    }

    private void serveIfChanged() {
        String version;
        try {
            version = Checkpoint.modelVersion(Path.of(config.checkpoint()));
        } catch (CheckpointException e) {
            return; // being replaced right now, or gone: the current model keeps serving
        }
        if (version.equals(watchedVersion)) {
            return;
        }
        try {
            reload(null);
        } catch (CheckpointException e) {
            watchedVersion = version;
        }
    }

    /**
     * How many looks at the checkpoint directory the watcher has finished. Looks and reloads hold this object's lock,
     * so a look counted after a reload returned began after it.
     */
    long watchChecks() {
        return watchChecks.get();
    }
}
