package dev.seqrec.streaming;

import dev.seqrec.eval.data.IdMapping;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Consumes interaction events from Kafka into a {@link RocksSequenceStore}, exactly once: each partition's share of
 * a poll and the offset after it are written in one RocksDB batch (by the writer thread owning the partition), and on start or partition assignment the consumer seeks
 * to the offsets stored in RocksDB (never the group's committed ones), so a crash at any point neither loses nor
 * repeats an event. Malformed events go to the dead-letter topic with a {@value #REASON_HEADER} header and are
 * counted. Embeddable: {@link #start()}, {@link #metrics()}, {@link #close()}; the store stays the caller's.
 */
public final class InteractionIngestor implements AutoCloseable {
    public static final String REASON_HEADER = "seqrec.dlq.reason";
    public static final String SOURCE_TOPIC_HEADER = "seqrec.dlq.topic";
    public static final String SOURCE_PARTITION_HEADER = "seqrec.dlq.partition";
    public static final String SOURCE_OFFSET_HEADER = "seqrec.dlq.offset";

    private static final Duration CONSUMER_CLOSE_TIMEOUT = Duration.ofSeconds(3);
    private static final System.Logger LOG = System.getLogger(InteractionIngestor.class.getName());
    /** Window over which events/s is measured. */
    private static final long RATE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The group's committed offsets are informational (lag tools); committing them once a second is plenty. */
    private static final long GROUP_COMMIT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** Poll shares queued per writer: enough to keep it busy while the consumer polls, little memory. */
    private static final int BATCHES_IN_FLIGHT_PER_WRITER = 4;

    private final IngestConfig config;
    private final RocksSequenceStore store;
    private final InteractionEventCodec codec;
    private final Thread thread;
    private final ExecutorService[] writers;
    /** Batches handed to writers and not yet stored; bounds memory and lets the consumer wait for the writers. */
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicReference<Exception> dlqFailure = new AtomicReference<>();
    /** Offsets stored in RocksDB and not yet committed to the group (informational for lag tools). */
    private final Map<TopicPartition, OffsetAndMetadata> storedNotCommitted = new ConcurrentHashMap<>();
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean stopping;
    private volatile IdMapping modelItems;

    private final AtomicLong events = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong unknownItemEvents = new AtomicLong();
    private volatile double eventsPerSecond;
    private volatile long lag = -1;
    private volatile int assignedPartitions;

    public InteractionIngestor(IngestConfig config, RocksSequenceStore store) {
        this.config = config;
        this.store = store;
        this.codec = new InteractionEventCodec(config.maxIdBytes());
        this.thread = new Thread(this::consumeLoop, "seqrec-ingest-" + config.topic());
        this.writers = new ExecutorService[config.writerThreads()];
        this.maxInFlight = config.writerThreads() * BATCHES_IN_FLIGHT_PER_WRITER;
        this.inFlight = new Semaphore(maxInFlight);
    }

    /** Starts consuming on a thread of its own. */
    public void start() {
        for (int w = 0; w < writers.length; w++) {
            String name = "seqrec-ingest-writer-" + w + "-" + config.topic();
            writers[w] = Executors.newSingleThreadExecutor(task -> new Thread(task, name));
        }
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
        return new IngestMetrics(events.get(), rejected.get(), unknownItemEvents.get(), eventsPerSecond, lag,
                assignedPartitions, thread.isAlive());
    }

    /** Why consuming stopped on its own, if it did. */
    public Throwable failure() {
        return failure.get();
    }

    /** Waits until consuming has stopped (after {@link #close()} or a failure); false on timeout. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops after the batches in progress, which are stored completely; returns once the consumer is closed. */
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
        KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(consumerProperties());
        // Offsets live in RocksDB, so closing need not wait long for the group: a stuck rejoin would hold a
        // shutdown for the client's default 30 s.
        try (AutoCloseable closeConsumer = () -> kafka.close(CloseOptions.timeout(CONSUMER_CLOSE_TIMEOUT));
             KafkaProducer<byte[], byte[]> dlq = new KafkaProducer<>(dlqProducerProperties())) {
            consumer = kafka;
            if (stopping) {
                return;
            }
            kafka.subscribe(List.of(config.topic()), new SeekToStoredOffsets(kafka));
            long windowStart = System.nanoTime();
            long windowStartEvents = 0;
            long lastLog = windowStart;
            long lastGroupCommit = windowStart;
            while (!stopping) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = kafka.poll(config.pollTimeout());
                } catch (WakeupException e) {
                    break;
                }
                if (!records.isEmpty()) {
                    dispatch(records, dlq);
                }
                long now = System.nanoTime();
                if (now - windowStart >= RATE_WINDOW_NANOS) {
                    long stored = events.get();
                    eventsPerSecond = (stored - windowStartEvents) * 1e9 / (now - windowStart);
                    windowStart = now;
                    windowStartEvents = stored;
                    lag = currentLag(kafka);
                }
                if (!storedNotCommitted.isEmpty() && now - lastGroupCommit >= GROUP_COMMIT_INTERVAL_NANOS) {
                    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>(storedNotCommitted);
                    storedNotCommitted.keySet().removeAll(commit.keySet());
                    commit.keySet().retainAll(kafka.assignment()); // a revoked partition is another member's now
                    if (!commit.isEmpty()) {
                        kafka.commitAsync(commit, null);
                    }
                    lastGroupCommit = now;
                }
                if (now - lastLog >= config.metricsLogInterval().toNanos()) {
                    logMetrics();
                    lastLog = now;
                }
                rethrowWriterFailure();
            }
            awaitWriters();
        } catch (WakeupException e) {
            if (!stopping) {
                failure.compareAndSet(null, e);
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
            LOG.log(System.Logger.Level.ERROR, "ingestion from " + config.topic() + " stopped: " + e.getMessage(), e);
        } finally {
            consumer = null;
            shutDownWriters();
            logMetrics();
            finished.countDown();
        }
    }

    /**
     * Decodes a poll's records and hands each partition's share to the writer owning that partition. Dead letters
     * are on the broker before any of their offsets can be stored, or a crash could lose them.
     */
    private void dispatch(ConsumerRecords<byte[], byte[]> records, KafkaProducer<byte[], byte[]> dlq)
            throws InterruptedException {
        List<PartitionBatch> batches = new ArrayList<>(records.partitions().size());
        boolean anyBad = false;
        IdMapping model = modelItems;
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> partitionRecords = records.records(partition);
            List<Interaction> accepted = new ArrayList<>(partitionRecords.size());
            int bad = 0;
            int unknown = 0;
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
            batches.add(new PartitionBatch(partition, accepted, next, bad, unknown));
            anyBad |= bad > 0;
        }
        if (anyBad) {
            dlq.flush();
            Exception sendFailure = dlqFailure.getAndSet(null);
            if (sendFailure != null) {
                throw new IllegalStateException("cannot write to dead-letter topic " + config.dlqTopic() + ": "
                        + sendFailure.getMessage(), sendFailure);
            }
        }
        for (PartitionBatch batch : batches) {
            inFlight.acquire();
            writers[Math.floorMod(batch.partition().partition(), writers.length)].execute(() -> store(batch));
        }
    }

    /** Runs on the partition's writer thread; after a failure nothing more is stored, so no partition gets a gap. */
    private void store(PartitionBatch batch) {
        try {
            if (failure.get() != null) {
                return;
            }
            TopicPartition partition = batch.partition();
            store.append(batch.accepted(), List.of(new PartitionOffset(partition.topic(), partition.partition(),
                    batch.nextOffset())), batch.bad());
            events.addAndGet(batch.accepted().size());
            rejected.addAndGet(batch.bad());
            unknownItemEvents.addAndGet(batch.unknown());
            storedNotCommitted.put(partition, new OffsetAndMetadata(batch.nextOffset()));
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
            LOG.log(System.Logger.Level.ERROR, "ingestion from " + config.topic() + " stopped: " + e.getMessage(), e);
            KafkaConsumer<byte[], byte[]> c = consumer;
            if (c != null) {
                c.wakeup();
            }
        } finally {
            inFlight.release();
        }
    }

    /** Waits until every handed-out batch is stored (or dropped after a failure). */
    private void awaitWriters() throws InterruptedException {
        inFlight.acquire(maxInFlight);
        inFlight.release(maxInFlight);
    }

    private void rethrowWriterFailure() {
        Throwable e = failure.get();
        if (e != null) {
            throw new IllegalStateException("cannot store events: " + e.getMessage(), e);
        }
    }

    private void shutDownWriters() {
        for (ExecutorService writer : writers) {
            if (writer != null) {
                writer.shutdown();
            }
        }
        for (ExecutorService writer : writers) {
            try {
                if (writer != null && !writer.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.log(System.Logger.Level.WARNING, "a RocksDB writer of " + config.topic() + " did not stop in time");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One partition's share of a poll. */
    private record PartitionBatch(TopicPartition partition, List<Interaction> accepted, long nextOffset, int bad,
                                  int unknown) {
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
            drainWriters();
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
            // Batches already handed out are stored with their offsets; the next owner starts after them.
            drainWriters();
            assignedPartitions = Math.max(0, kafka.assignment().size() - partitions.size());
        }

        private void drainWriters() {
            try {
                awaitWriters();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while storing events before a rebalance", e);
            }
        }
    }
}
