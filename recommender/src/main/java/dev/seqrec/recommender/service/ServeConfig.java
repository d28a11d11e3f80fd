package dev.seqrec.recommender.service;

import dev.seqrec.recommender.RecommenderConfig;
import dev.seqrec.streaming.IngestConfig;
import dev.seqrec.streaming.StoreConfig;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The service's configuration, {@code seqrec.serve.*} in application.yml (which holds every default); each key can be
 * overridden by an environment variable such as {@code SEQREC_SERVE_CHECKPOINT} or by {@code seqrec serve}'s flags.
 *
 * @param checkpoint          checkpoint directory served at start (and reloaded by default)
 * @param store               RocksDB sequence store directory
 * @param bootstrap           Kafka bootstrap servers; when set, the ingestion consumer runs inside the service
 * @param topic               topic of interaction events
 * @param group               with {@code bootstrap}, the in-service consumer's group: instances of one group share
 *                            the topic's partitions (shards), so each replica, and each standalone {@code seqrec
 *                            ingest} beside it, needs a group of its own; the default is not ingest's
 * @param instanceId          with {@code bootstrap}, static group membership (Kafka's {@code group.instance.id}), so
 *                            a restarted instance gets its partitions back at once; null for dynamic membership
 * @param maxLength           items kept per user in the store (as {@code seqrec ingest --max-length}), older ones
 *                            dropped when the user's next event arrives; null takes the store's recorded value
 *                            ({@link StoreConfig#DEFAULT_MAX_SEQUENCE_LENGTH} for a new store), and a value other
 *                            than an existing store's is refused, whether the service ingests or follows the store
 * @param eventsMaxBlock      how long {@code POST /v1/events} waits for the broker before answering 503: for topic
 *                            metadata or buffer space (Kafka's {@code max.block.ms}), then again for the broker's
 *                            acknowledgement ({@code delivery.timeout.ms})
 * @param adminToken          bearer token for the admin endpoints; they refuse every call when unset
 * @param watchCheckpoint     reload when the checkpoint directory's model version changes
 * @param watchInterval       how often the watched checkpoint is checked
 * @param storeCatchUpInterval without {@code bootstrap}, how often the store follows the process that writes it
 * @param secondaryParent     without {@code bootstrap}, where the store's secondary instance keeps its own logs: in
 *                            a new folder here (the system's temporary directory by default), deleted at stop
 * @param maxK                largest k accepted
 * @param maxIdLength         longest user or item id: posted events and the consumer count UTF-8 bytes (the
 *                            consumer's {@code maxIdBytes}); lookups count characters, which admits every stored id
 * @param maxHistoryItems     most items in a posted history
 * @param seenWindow          most recent items of a user that count as seen (and the longest history answer)
 * @param microBatching       score concurrent requests together
 * @param maxBatch            most requests per scoring batch
 * @param scoringThreads      threads that score batches (0: one per core)
 */
@ConfigurationProperties("seqrec.serve")
public record ServeConfig(String checkpoint, String store, @Nullable String bootstrap, String topic, String group,
                          @Nullable String instanceId, @Nullable Integer maxLength, Duration eventsMaxBlock, @Nullable String adminToken,
                          boolean watchCheckpoint, Duration watchInterval, Duration storeCatchUpInterval,
                          String secondaryParent, int maxK, int maxIdLength, int maxHistoryItems, int seenWindow,
                          boolean microBatching, int maxBatch, int scoringThreads) {

    public boolean ingests() {
        return bootstrap != null && !bootstrap.isBlank();
    }

    /** The in-service consumer: the streaming module's defaults, with this service's id limit. */
    public IngestConfig ingestConfig() {
        IngestConfig config = IngestConfig.of(bootstrap, topic).withGroupId(group).withMaxIdBytes(maxIdLength);
        return instanceId == null || instanceId.isBlank() ? config
                : config.withConsumerOverrides(Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId));
    }

    /** The store: opened for writing when the service ingests, else followed (where only the max length counts). */
    public StoreConfig storeConfig() {
        return maxLength == null ? StoreConfig.defaults() : StoreConfig.defaults().withMaxSequenceLength(maxLength);
    }

    public RecommenderConfig recommenderConfig() {
        int threads = scoringThreads > 0 ? scoringThreads : Runtime.getRuntime().availableProcessors();
        return new RecommenderConfig(maxK, maxIdLength, maxHistoryItems, seenWindow, microBatching, maxBatch, threads);
    }
}
