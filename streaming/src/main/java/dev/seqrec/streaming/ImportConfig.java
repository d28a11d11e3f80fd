package dev.seqrec.streaming;

import java.util.Objects;
import java.util.Optional;

/**
 * How {@link DatasetImporter} replays a dataset into Kafka.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param topic            destination topic
 * @param partitions       partitions of the topic when it has to be created (an existing topic is kept as it is)
 * @param timestampUnit    unit of the dataset's timestamp column, turned into the events' epoch-millisecond {@code ts}
 * @param eventType        the events' {@code type} field, or null for none
 * @param maxIdBytes       longest user or item id sent, in UTF-8 bytes: the limit of the ingest that will read them
 * @param replicationFactor replication factor of the topic when it has to be created; empty for the broker's
 *                         {@code default.replication.factor}
 */
public record ImportConfig(String bootstrapServers, String topic, int partitions, TimestampUnit timestampUnit,
                           String eventType, int maxIdBytes, Optional<Short> replicationFactor) {
    public static final int DEFAULT_PARTITIONS = 3;

    /** Units of dataset timestamps. */
    public enum TimestampUnit {
        SECONDS(1000.0), MILLISECONDS(1.0);

        private final double millis;

        TimestampUnit(double millis) {
            this.millis = millis;
        }

        long toEpochMillis(double value) {
            return Math.round(value * millis);
        }
    }

    public ImportConfig {
        if (bootstrapServers == null || bootstrapServers.isBlank() || topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers and topic must not be empty");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        Objects.requireNonNull(timestampUnit, "timestampUnit");
        if (maxIdBytes < 1) {
            throw new IllegalArgumentException("maxIdBytes must be at least 1, got " + maxIdBytes);
        }
        Objects.requireNonNull(replicationFactor, "replicationFactor");
        if (replicationFactor.isPresent() && replicationFactor.get() < 1) {
            throw new IllegalArgumentException("replicationFactor must be at least 1, got " + replicationFactor.get());
        }
    }

    /** A topic created, when it has to be, with the broker's default replication factor. */
    public ImportConfig(String bootstrapServers, String topic, int partitions, TimestampUnit timestampUnit,
                        String eventType, int maxIdBytes) {
        this(bootstrapServers, topic, partitions, timestampUnit, eventType, maxIdBytes, Optional.empty());
    }

    public static ImportConfig of(String bootstrapServers, String topic) {
        return new ImportConfig(bootstrapServers, topic, DEFAULT_PARTITIONS, TimestampUnit.SECONDS, null,
                InteractionEventCodec.DEFAULT_MAX_ID_BYTES);
    }

    public ImportConfig withPartitions(int count) {
        return new ImportConfig(bootstrapServers, topic, count, timestampUnit, eventType, maxIdBytes, replicationFactor);
    }

    public ImportConfig withReplicationFactor(short factor) {
        return new ImportConfig(bootstrapServers, topic, partitions, timestampUnit, eventType, maxIdBytes,
                Optional.of(factor));
    }
}
