package dev.seqrec.streaming;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How an {@link InteractionIngestor} consumes.
 *
 * @param bootstrapServers  Kafka bootstrap servers, {@code host:port[,host:port]}
 * @param topic             topic of interaction events
 * @param groupId           consumer group; instances in one group share the topic's partitions
 * @param dlqTopic          where malformed events go; not {@code topic}, which would feed them back into the stream
 * @param maxPollRecords    records per poll, and so at most per RocksDB write batch
 * @param pollTimeout       how long one poll waits for records
 * @param metricsLogInterval how often lag and events/s are logged
 * @param maxIdBytes        longest accepted user or item id, in UTF-8 bytes
 * @param startPosition     where to start in a partition this store has never consumed
 * @param consumerOverrides extra Kafka consumer properties (tuning, security), applied last
 * @param writerThreads     threads writing to RocksDB, each owning a share of the partitions (a partition's events
 *                          and offsets always go through the same thread, in order)
 * @param flushInterval     while the consumer has a backlog, how long writers may coalesce appends in memory before
 *                          storing them (once caught up they store after every poll): the longer, the fewer RocksDB
 *                          writes per event and the sooner a backlog is worked off; a crash replays at most this much
 *                          from Kafka, and readers of the store see backlogged events up to this much later. The
 *                          store's {@link StoreConfig#appendCacheBytes()} bounds the memory it takes
 * @param adminTimeout      how long an admin request (creating the dead-letter topic, reading the topic's id) waits
 *                          for the cluster before it fails; at start, creating the dead-letter topic tries again
 */
public record IngestConfig(String bootstrapServers, String topic, String groupId, String dlqTopic,
                           int maxPollRecords, Duration pollTimeout, Duration metricsLogInterval, int maxIdBytes,
                           StartPosition startPosition, Map<String, String> consumerOverrides,
                           int writerThreads, Duration flushInterval, Duration adminTimeout) {
    public static final String DEFAULT_GROUP_ID = "seqrec-ingest";
    public static final String DLQ_SUFFIX = ".dlq";
    public static final int DEFAULT_MAX_POLL_RECORDS = 5000;
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(200);
    public static final Duration DEFAULT_METRICS_LOG_INTERVAL = Duration.ofSeconds(10);
    public static final int DEFAULT_WRITER_THREADS = 4;
    public static final long DEFAULT_FLUSH_INTERVAL_MILLIS = 5000;
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(DEFAULT_FLUSH_INTERVAL_MILLIS);
    public static final Duration DEFAULT_ADMIN_TIMEOUT = KafkaTopics.ADMIN_TIMEOUT;

    /** Where a partition without a stored offset starts. */
    public enum StartPosition {
        /** From the partition's first retained event: the store rebuilds every sequence the partition holds. */
        EARLIEST,
        /**
         * Where the consumer group left off (its committed offset, as when another instance of the group owned the
         * partition before), else the partition's end at assignment time: only new events.
         */
        LATEST
    }

    public IngestConfig {
        requireText(bootstrapServers, "bootstrapServers");
        requireText(topic, "topic");
        requireText(groupId, "groupId");
        requireText(dlqTopic, "dlqTopic");
        if (dlqTopic.equals(topic)) {
            throw new IllegalArgumentException("the dead-letter topic must differ from the topic '" + topic
                    + "': malformed events sent there would be consumed again");
        }
        if (maxPollRecords < 1) {
            throw new IllegalArgumentException("maxPollRecords must be at least 1, got " + maxPollRecords);
        }
        if (pollTimeout.isNegative() || metricsLogInterval.isNegative() || metricsLogInterval.isZero()) {
            throw new IllegalArgumentException("pollTimeout must not be negative and metricsLogInterval must be positive");
        }
        if (maxIdBytes < 1) {
            throw new IllegalArgumentException("maxIdBytes must be at least 1, got " + maxIdBytes);
        }
        Objects.requireNonNull(startPosition, "startPosition");
        if (writerThreads < 1) {
            throw new IllegalArgumentException("writerThreads must be at least 1, got " + writerThreads);
        }
        if (flushInterval.isNegative()) {
            throw new IllegalArgumentException("flushInterval must not be negative, got " + flushInterval);
        }
        if (adminTimeout.isNegative() || adminTimeout.isZero() || adminTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("adminTimeout must be positive and under 24 days (Kafka's admin client "
                    + "takes an int of milliseconds), got " + adminTimeout);
        }
        consumerOverrides = Map.copyOf(consumerOverrides);
    }

    /** Defaults for everything but the broker and the topic; the dead-letter topic is {@code <topic>.dlq}. */
    public static IngestConfig of(String bootstrapServers, String topic) {
        return new IngestConfig(bootstrapServers, topic, DEFAULT_GROUP_ID, topic + DLQ_SUFFIX,
                DEFAULT_MAX_POLL_RECORDS, DEFAULT_POLL_TIMEOUT, DEFAULT_METRICS_LOG_INTERVAL,
                InteractionEventCodec.DEFAULT_MAX_ID_BYTES, StartPosition.EARLIEST, Map.of(),
                DEFAULT_WRITER_THREADS, DEFAULT_FLUSH_INTERVAL, DEFAULT_ADMIN_TIMEOUT);
    }

    public IngestConfig withGroupId(String id) {
        return new IngestConfig(bootstrapServers, topic, id, dlqTopic, maxPollRecords, pollTimeout,
                metricsLogInterval, maxIdBytes, startPosition, consumerOverrides, writerThreads, flushInterval,
                adminTimeout);
    }

    public IngestConfig withMaxPollRecords(int records) {
        return new IngestConfig(bootstrapServers, topic, groupId, dlqTopic, records, pollTimeout,
                metricsLogInterval, maxIdBytes, startPosition, consumerOverrides, writerThreads, flushInterval,
                adminTimeout);
    }

    public IngestConfig withMetricsLogInterval(Duration interval) {
        return new IngestConfig(bootstrapServers, topic, groupId, dlqTopic, maxPollRecords, pollTimeout,
                interval, maxIdBytes, startPosition, consumerOverrides, writerThreads, flushInterval,
                adminTimeout);
    }

    public IngestConfig withMaxIdBytes(int bytes) {
        return new IngestConfig(bootstrapServers, topic, groupId, dlqTopic, maxPollRecords, pollTimeout,
                metricsLogInterval, bytes, startPosition, consumerOverrides, writerThreads, flushInterval,
                adminTimeout);
    }

    public IngestConfig withStartPosition(StartPosition position) {
        return new IngestConfig(bootstrapServers, topic, groupId, dlqTopic, maxPollRecords, pollTimeout,
                metricsLogInterval, maxIdBytes, position, consumerOverrides, writerThreads, flushInterval,
                adminTimeout);
    }

    public IngestConfig withConsumerOverrides(Map<String, String> overrides) {
        return new IngestConfig(bootstrapServers, topic, groupId, dlqTopic, maxPollRecords, pollTimeout,
                metricsLogInterval, maxIdBytes, startPosition, overrides, writerThreads, flushInterval,
                adminTimeout);
    }

    public IngestConfig withWriterThreads(int threads) {
        return new IngestConfig(bootstrapServers, topic, groupId, dlqTopic, maxPollRecords, pollTimeout,
                metricsLogInterval, maxIdBytes, startPosition, consumerOverrides, threads, flushInterval,
                adminTimeout);
    }

    public IngestConfig withFlushInterval(Duration interval) {
        return new IngestConfig(bootstrapServers, topic, groupId, dlqTopic, maxPollRecords, pollTimeout,
                metricsLogInterval, maxIdBytes, startPosition, consumerOverrides, writerThreads, interval,
                adminTimeout);
    }

    public IngestConfig withAdminTimeout(Duration timeout) {
        return new IngestConfig(bootstrapServers, topic, groupId, dlqTopic, maxPollRecords, pollTimeout,
                metricsLogInterval, maxIdBytes, startPosition, consumerOverrides, writerThreads, flushInterval, timeout);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }
}
