package dev.seqrec.streaming;

import dev.seqrec.eval.data.IdMapping;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Consumes interaction events from Kafka into a {@link RocksSequenceStore}, exactly once: every poll's events and
 * the offsets after them are written in one RocksDB batch, and on start or partition assignment the consumer seeks
 * to the offsets stored in RocksDB (never the group's committed ones), so a crash at any point neither loses nor
 * repeats an event. Malformed events go to the dead-letter topic with a {@value #REASON_HEADER} header and are
 * counted. Embeddable: {@link #start()}, {@link #metrics()}, {@link #close()}; the store stays the caller's.
 */
public final class InteractionIngestor implements AutoCloseable {
    public static final String REASON_HEADER = "seqrec.dlq.reason";
    public static final String SOURCE_TOPIC_HEADER = "seqrec.dlq.topic";
    public static final String SOURCE_PARTITION_HEADER = "seqrec.dlq.partition";
    public static final String SOURCE_OFFSET_HEADER = "seqrec.dlq.offset";

    private static final System.Logger LOG = System.getLogger(InteractionIngestor.class.getName());
    /** Window over which events/s is measured. */
    private static final long RATE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The group's committed offsets are informational (lag tools); committing them once a second is plenty. */
    private static final long GROUP_COMMIT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final IngestConfig config;
    private final RocksSequenceStore store;
    private final InteractionEventCodec codec;
    private final Thread thread;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicReference<Exception> dlqFailure = new AtomicReference<>();
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean stopping;
    private volatile IdMapping modelItems;

    private volatile long events;
    private volatile long rejected;
    private volatile long unknownItemEvents;
    private volatile double eventsPerSecond;
    private volatile long lag = -1;
    private volatile int assignedPartitions;

    public InteractionIngestor(IngestConfig config, RocksSequenceStore store) {
        this.config = config;
        this.store = store;
        this.codec = new InteractionEventCodec(config.maxIdBytes());
        this.thread = new Thread(this::consumeLoop, "seqrec-ingest-" + config.topic());
    }

    /** Starts consuming on a thread of its own. */
    public void start() {
        thread.start();
    }

    /**
     * Counts stored events whose item {@code items} does not know (items unknown to the current model); they are
     * stored all the same. Pass null to stop counting.
     */
    public void setModelVocabulary(IdMapping items) {
        this.modelItems = items;
    }

    public IngestMetrics metrics() {
        return new IngestMetrics(events, rejected, unknownItemEvents, eventsPerSecond, lag, assignedPartitions,
                thread.isAlive());
    }

    /** Why consuming stopped on its own, if it did. */
    public Throwable failure() {
        return failure.get();
    }

    /** Waits until consuming has stopped (after {@link #close()} or a failure); false on timeout. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops after the batch in progress, which is stored completely; returns once the consumer is closed. */
    @Override
    public void close() {
        stopping = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread.isAlive() && Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void consumeLoop() {
        try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(consumerProperties());
             KafkaProducer<byte[], byte[]> dlq = new KafkaProducer<>(dlqProducerProperties())) {
            consumer = kafka;
            if (stopping) {
                return;
            }
            kafka.subscribe(List.of(config.topic()), new SeekToStoredOffsets(kafka));
            long windowStart = System.nanoTime();
            long windowEvents = 0;
            long lastLog = windowStart;
            long lastGroupCommit = windowStart;
            Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
            while (!stopping) {
                ConsumerRecords<byte[], byte[]> records = kafka.poll(config.pollTimeout());
                if (!records.isEmpty()) {
                    windowEvents += storeBatch(records, dlq, uncommitted);
                }
                long now = System.nanoTime();
                if (now - windowStart >= RATE_WINDOW_NANOS) {
                    eventsPerSecond = windowEvents * 1e9 / (now - windowStart);
                    windowStart = now;
                    windowEvents = 0;
                    lag = currentLag(kafka);
                }
                if (!uncommitted.isEmpty() && now - lastGroupCommit >= GROUP_COMMIT_INTERVAL_NANOS) {
                    kafka.commitAsync(Map.copyOf(uncommitted), null);
                    uncommitted.clear();
                    lastGroupCommit = now;
                }
                if (now - lastLog >= config.metricsLogInterval().toNanos()) {
                    logMetrics();
                    lastLog = now;
                }
            }
        } catch (WakeupException e) {
            if (!stopping) {
                failure.set(e);
            }
        } catch (Throwable e) {
            failure.set(e);
            LOG.log(System.Logger.Level.ERROR, "ingestion from " + config.topic() + " stopped: " + e.getMessage(), e);
        } finally {
            consumer = null;
            logMetrics();
            finished.countDown();
        }
    }

    private int storeBatch(ConsumerRecords<byte[], byte[]> records, KafkaProducer<byte[], byte[]> dlq,
                           Map<TopicPartition, OffsetAndMetadata> uncommitted) {
        List<Interaction> accepted = new ArrayList<>(records.count());
        List<PartitionOffset> consumed = new ArrayList<>();
        int bad = 0;
        int unknown = 0;
        IdMapping model = modelItems;
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> partitionRecords = records.records(partition);
            for (ConsumerRecord<byte[], byte[]> record : partitionRecords) {
                try {
                    Interaction interaction = codec.decode(record.key(), record.value(), record.timestamp());
                    accepted.add(interaction);
                    if (model != null && model.id(interaction.item()) == IdMapping.UNKNOWN) {
                        unknown++;
                    }
                } catch (MalformedEventException e) {
                    sendToDeadLetters(dlq, record, e.getMessage());
                    bad++;
                }
            }
            long next = partitionRecords.get(partitionRecords.size() - 1).offset() + 1;
            consumed.add(new PartitionOffset(partition.topic(), partition.partition(), next));
            uncommitted.put(partition, new OffsetAndMetadata(next));
        }
        if (bad > 0) {
            // Dead letters must be on the broker before their offsets are stored, or a crash would lose them.
            dlq.flush();
            Exception sendFailure = dlqFailure.getAndSet(null);
            if (sendFailure != null) {
                throw new IllegalStateException("cannot write to dead-letter topic " + config.dlqTopic() + ": "
                        + sendFailure.getMessage(), sendFailure);
            }
        }
        store.append(accepted, consumed, bad);
        events += accepted.size();
        rejected += bad;
        unknownItemEvents += unknown;
        return accepted.size();
    }

    private void sendToDeadLetters(KafkaProducer<byte[], byte[]> dlq, ConsumerRecord<byte[], byte[]> record,
                                   String reason) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_TOPIC_HEADER, record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_PARTITION_HEADER, Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_OFFSET_HEADER, Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        dlq.send(new ProducerRecord<>(config.dlqTopic(), null, record.timestamp(), record.key(), record.value(), headers),
                (metadata, e) -> {
                    if (e != null) {
                        dlqFailure.compareAndSet(null, e);
                    }
                });
    }

    private long currentLag(KafkaConsumer<byte[], byte[]> kafka) {
        long total = 0;
        for (TopicPartition partition : kafka.assignment()) {
            OptionalLong partitionLag = kafka.currentLag(partition);
            if (partitionLag.isEmpty()) {
                return -1;
            }
            total += partitionLag.getAsLong();
        }
        return total;
    }

    private void logMetrics() {
        IngestMetrics m = metrics();
        LOG.log(System.Logger.Level.INFO, String.format(
                "ingest %s: %,d events stored (%,.0f/s), lag %s, %,d rejected to %s, %,d with items unknown to the model, %d partitions",
                config.topic(), m.events(), m.eventsPerSecond(), m.lag() < 0 ? "unknown" : String.format("%,d", m.lag()),
                m.rejected(), config.dlqTopic(), m.unknownItemEvents(), m.assignedPartitions()));
    }

    private Properties consumerProperties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.maxPollRecords()));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.putAll(config.consumerOverrides());
        return props;
    }

    private Properties dlqProducerProperties() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /** On every assignment, positions each partition where this store's data ends. */
    private final class SeekToStoredOffsets implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> kafka;

        SeekToStoredOffsets(KafkaConsumer<byte[], byte[]> kafka) {
            this.kafka = kafka;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            List<TopicPartition> fresh = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                OptionalLong stored = store.storedOffset(partition.topic(), partition.partition());
                if (stored.isPresent()) {
                    kafka.seek(partition, stored.getAsLong());
                } else {
                    fresh.add(partition);
                }
            }
            if (!fresh.isEmpty()) {
                if (config.startPosition() == IngestConfig.StartPosition.EARLIEST) {
                    kafka.seekToBeginning(fresh);
                } else {
                    kafka.seekToEnd(fresh);
                    // Store the start now: after a crash before the first event, the same events must follow.
                    List<PartitionOffset> starts = new ArrayList<>();
                    for (TopicPartition partition : fresh) {
                        starts.add(new PartitionOffset(partition.topic(), partition.partition(), kafka.position(partition)));
                    }
                    store.append(List.of(), starts, 0);
                }
            }
            assignedPartitions = kafka.assignment().size();
            LOG.log(System.Logger.Level.INFO, "ingest " + config.topic() + ": assigned " + partitions
                    + " (" + fresh.size() + " without stored offsets, starting at " + config.startPosition() + ")");
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Nothing to flush: every processed batch is already stored with its offsets.
            assignedPartitions = Math.max(0, kafka.assignment().size() - partitions.size());
        }
    }
}
