package dev.seqrec.recommender.service;

import dev.seqrec.recommender.Recommender;
import dev.seqrec.recommender.model.CheckpointLoader;
import dev.seqrec.report.DirectoryTree;
import dev.seqrec.streaming.RocksSequenceStore;
import dev.seqrec.trainer.checkpoint.CheckpointException;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.event.BeanDestroyedEvent;
import io.micronaut.context.event.BeanDestroyedEventListener;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The store and the recommender the controllers serve from, built from {@link ServeConfig}. */
@Factory
class ServiceBeans {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceBeans.class);

    /**
     * With a broker the service ingests, so it owns the store for writing; otherwise another process (seqrec ingest)
     * may be writing it, and the service follows it as a RocksDB secondary instance.
     */
    @Singleton
    @Bean(preDestroy = "close")
    RocksSequenceStore sequenceStore(ServeConfig config, SecondaryDirectory secondary) {
        Path dir = Path.of(required(config.store(), "store", "--store", "SEQREC_SERVE_STORE"));
        if (config.ingests()) {
            return RocksSequenceStore.open(dir, config.storeConfig());
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no sequence store at " + dir
                    + " (fill it with seqrec ingest, or pass --bootstrap to ingest inside the service)");
        }
        try {
            return RocksSequenceStore.openSecondary(dir, secondary.create(), config.storeConfig());
        } catch (RuntimeException e) {
            secondary.delete();
            throw e;
        }
    }

    @Context
    @Singleton
    @Bean(preDestroy = "close")
    Recommender recommender(ServeConfig config, RocksSequenceStore store, ServiceMetrics metrics)
            throws CheckpointException {
        Path checkpoint = Path.of(required(config.checkpoint(), "checkpoint", "--checkpoint", "SEQREC_SERVE_CHECKPOINT"));
        Recommender recommender = new Recommender(CheckpointLoader.load(checkpoint), store, config.recommenderConfig());
        LOG.info("serving model {} ({}, {} items) from {}", recommender.model().version(),
                recommender.model().card().kind(), recommender.model().numItems(), checkpoint);
        metrics.modelServed(recommender.model().version());
        return recommender;
    }

    private static String required(String value, String key, String flag, String env) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("seqrec.serve." + key + " is not set (" + flag + " or " + env + ")");
        }
        return value;
    }

    /**
     * A secondary instance's own directory (RocksDB's logs for it): a new one in {@link ServeConfig#secondaryParent()},
     * deleted once the store bean has been closed.
     */
    @Singleton
    static final class SecondaryDirectory implements BeanDestroyedEventListener<RocksSequenceStore> {
        private final Path parent;
        private volatile Path path;

        SecondaryDirectory(ServeConfig config) {
            this.parent = Path.of(config.secondaryParent());
        }

        Path create() {
            try {
                path = Files.createTempDirectory(Files.createDirectories(parent), "seqrec-serve-secondary");
                return path;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the store's secondary directory in " + parent, e);
            }
        }

        /** The directory, while there is one. */
        Path path() {
            return path;
        }

        @Override
        public void onDestroyed(BeanDestroyedEvent<RocksSequenceStore> event) {
            delete();
        }

        void delete() {
            Path dir = path;
            if (dir == null) {
                return;
            }
            try {
                DirectoryTree.delete(dir);
                path = null;
            } catch (IOException | UncheckedIOException e) {
                LOG.warn("could not delete the store's secondary directory {}: {}", dir, e.getMessage());
            }
        }
    }
}
