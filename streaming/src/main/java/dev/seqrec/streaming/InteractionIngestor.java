package dev.seqrec.streaming;

import dev.seqrec.eval.data.IdMapping;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.LogTruncationException;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.server.config.ServerLogConfigs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Consumes interaction events from Kafka into a {@link RocksSequenceStore}, exactly once: the events of a partition
 * and the offset after them are written in one RocksDB batch (by the writer thread owning the partition), and on
 * start or partition assignment the consumer seeks to the offsets stored in RocksDB (never the group's committed
 * ones, which only place a partition the store has never consumed under {@link IngestConfig.StartPosition#LATEST}),
 * so a crash at any point neither loses nor repeats an event. The store records the topic's id with its offsets: a
 * topic deleted and created again under the same name since (another id) stops ingestion, as its offsets are not
 * the store's. Writers decode the records and coalesce appends in memory ({@link SequenceAppender}): they store
 * whenever the consumer has caught up with the topic, so a light stream is stored poll by poll, and while there is
 * a backlog at least every {@link IngestConfig#flushInterval()}, so that a user with several events in that time
 * costs one RocksDB put. Malformed events go to the dead-letter
 * topic with a {@value #REASON_HEADER} header and are counted, and so are events on a partition other than the one
 * Kafka's default partitioner gives their user: one writer must own all of a user's events, or another writer's
 * cached tail would overwrite them and two writers could create the same user. Embeddable: {@link #start()},
 * {@link #metrics()}, {@link #close()}; the store stays the caller's.
 */
public final class InteractionIngestor implements AutoCloseable {
    public static final String REASON_HEADER = "seqrec.dlq.reason";
    public static final String SOURCE_TOPIC_HEADER = "seqrec.dlq.topic";
    public static final String SOURCE_PARTITION_HEADER = "seqrec.dlq.partition";
    public static final String SOURCE_OFFSET_HEADER = "seqrec.dlq.offset";
    /**
     * The source record's time (epoch milliseconds, decimal), absent when it had none. The dead letter itself is
     * sent at the current time: with the source's, the dead-letter topic's time-based retention would delete a
     * dead letter of an old event (a rebuild, a backlog) as soon as it was written.
     */
    public static final String SOURCE_TIMESTAMP_HEADER = "seqrec.dlq.timestamp";
    /** On a dead letter sent without its value, as the topic took no record that large: the value's size in bytes. */
    public static final String TRUNCATED_HEADER = "seqrec.dlq.truncated";
    /** On a dead letter that was still too large without its value, so sent without its key too: the key's size. */
    public static final String TRUNCATED_KEY_HEADER = "seqrec.dlq.truncated.key";
    /**
     * On a dead letter that was still too large without its value and key, so sent without the source record's
     * headers too (only seqrec's own, which are small, are left): their total size in bytes (names and values).
     */
    public static final String TRUNCATED_HEADERS_HEADER = "seqrec.dlq.truncated.headers";

    private static final Duration CONSUMER_CLOSE_TIMEOUT = Duration.ofSeconds(3);
    /** Consumer overrides that the dead-letter producer and the admin client need as well: how to reach the cluster. */
    private static final List<String> SHARED_CONFIG_PREFIXES = List.of("security.", "sasl.", "ssl.", "client.dns.");
    /** How long committing the stored offsets of revoked partitions may hold a rebalance. */
    private static final Duration REVOKE_COMMIT_TIMEOUT = Duration.ofSeconds(3);
    /**
     * How long a dead letter may wait for the dead-letter topic's metadata or for buffer space: past it the send
     * fails, and with it the batch, instead of holding the writer (and a shutdown) for the client's default 60 s.
     */
    private static final Duration DEAD_LETTER_MAX_BLOCK = Duration.ofSeconds(5);
    /**
     * Room for the headers a dead letter adds to its record: a reason of a few hundred bytes at most (Jackson
     * truncates the tokens it quotes), a topic name of at most 249 characters and a few numbers (partition,
     * offset, time, and the sizes of what a dead letter too large went without).
     */
    private static final int DEAD_LETTER_HEADER_BYTES = 4096;
    /**
     * The largest dead letter: a record of the largest size a topic takes by default, plus the headers added. The
     * dead-letter producer's request limit and, when the ingestor creates the topic, the topic's record limit.
     */
    static final int DEAD_LETTER_MAX_BYTES = ServerLogConfigs.MAX_MESSAGE_BYTES_DEFAULT + DEAD_LETTER_HEADER_BYTES;
    private static final System.Logger LOG = System.getLogger(InteractionIngestor.class.getName());
    /** Window over which events/s is measured. */
    private static final long RATE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The group's committed offsets are informational (lag tools); committing them once a second is plenty. */
    private static final long GROUP_COMMIT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** Poll shares queued per writer: enough to keep it busy while the consumer polls, little memory. */
    private static final int BATCHES_IN_FLIGHT_PER_WRITER = 4;
    /** Stands for a topic whose partitions the broker has not listed (no assignment listed them): nothing to check. */
    private static final int PARTITION_COUNT_UNKNOWN = 0;
    private static final byte KNOWN = 1;
    private static final byte UNKNOWN = 2;

    private final IngestConfig config;
    private final RocksSequenceStore store;
    private final InteractionEventCodec codec;
    private final Thread thread;
    private final PartitionWriter[] writers;
    /** Batches handed to writers and not yet stored; bounds memory and lets the consumer wait for the writers. */
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Offsets stored in RocksDB and not yet committed to the group (informational for lag tools). */
    private final Map<TopicPartition, OffsetAndMetadata> storedNotCommitted = new ConcurrentHashMap<>();
    /** Partitions of each subscribed topic, as the broker has them at the last assignment (never configured). */
    private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile KafkaProducer<byte[], byte[]> deadLetters;
    private volatile boolean stopping;
    /** Guards {@link #creatingDeadLetterTopic} and the interrupt {@link #close()} sends while it is true. */
    private final Object startLock = new Object();
    private boolean creatingDeadLetterTopic;
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
        this.writers = new PartitionWriter[config.writerThreads()];
        this.maxInFlight = config.writerThreads() * BATCHES_IN_FLIGHT_PER_WRITER;
        this.inFlight = new Semaphore(maxInFlight);
    }

    /** Starts consuming on a thread of its own. */
    public void start() {
        long cacheBytesPerWriter = store.appendCacheBytes() / writers.length;
        for (int w = 0; w < writers.length; w++) {
            String name = "seqrec-ingest-writer-" + w + "-" + config.topic();
            writers[w] = new PartitionWriter(Executors.newSingleThreadExecutor(task -> new Thread(task, name)),
                    store.newAppender(cacheBytesPerWriter));
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

    /** Whether starting is inside the dead-letter topic's creation, which {@link #close()} interrupts (for tests). */
    boolean creatingDeadLetterTopic() {
        synchronized (startLock) {
            return creatingDeadLetterTopic;
        }
    }

    /** Waits until consuming has stopped (after {@link #close()} or a failure); false on timeout. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops after the batches in progress, which are stored completely; returns once the consumer is closed. */
    @Override
    public void close() {
        synchronized (startLock) {
            stopping = true;
            if (creatingDeadLetterTopic) {
                thread.interrupt(); // the admin call would hold the shutdown for its timeout with no broker
            }
        }
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
        // The clients are created within the try, so that one that cannot be (a bad address or override) ends
        // ingestion with its failure recorded. The consumer closes first: its last revocation may flush dead letters.
        try (KafkaProducer<byte[], byte[]> dlq =
                     client("dead-letter producer", () -> new KafkaProducer<>(dlqProducerProperties()));
             ClosingConsumer closing =
                     new ClosingConsumer(client("consumer", () -> new KafkaConsumer<>(consumerProperties())))) {
            KafkaConsumer<byte[], byte[]> kafka = closing.kafka();
            consumer = kafka;
            deadLetters = dlq;
            if (!ensureDeadLetterTopicUnlessClosed()) {
                return;
            }
            kafka.subscribe(List.of(config.topic()), new SeekToStoredOffsets(kafka));
            long windowStart = System.nanoTime();
            long windowStartEvents = 0;
            long lastLog = windowStart;
            long lastGroupCommit = windowStart;
            long lastFlush = windowStart;
            // close() wakes the consumer, in poll or in any other call it blocks in; either way what is in memory is
            // stored before the consumer closes
            try {
                while (!stopping) {
                    ConsumerRecords<byte[], byte[]> records;
                    try {
                        records = kafka.poll(config.pollTimeout());
                    } catch (OffsetOutOfRangeException e) {
                        repositionOutOfRange(kafka, e);
                        continue;
                    }
                    if (!records.isEmpty()) {
                        dispatch(records);
                    }
                    long now = System.nanoTime();
                    if (records.isEmpty() || caughtUp(kafka) || now - lastFlush >= config.flushInterval().toNanos()) {
                        requestFlush();
                        lastFlush = now;
                    }
                    if (now - windowStart >= RATE_WINDOW_NANOS) {
                        long stored = events.get();
                        eventsPerSecond = (stored - windowStartEvents) * 1e9 / (now - windowStart);
                        windowStart = now;
                        windowStartEvents = stored;
                        refreshPartitionCount(kafka); // a rebalance need not follow added partitions (KIP-848 groups)
                        lag = currentLag(kafka);
                    }
                    if (!storedNotCommitted.isEmpty() && now - lastGroupCommit >= GROUP_COMMIT_INTERVAL_NANOS) {
                        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>(storedNotCommitted);
                        // only these values: a writer may have put newer ones
                        commit.forEach(storedNotCommitted::remove);
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
            } catch (WakeupException e) {
                if (!stopping) {
                    throw e;
                }
            }
            requestFlush();
            awaitWriters();
            rethrowWriterFailure();
        } catch (WakeupException e) {
            if (!stopping) {
                failure.compareAndSet(null, e);
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
            Throwable first = failure.get(); // set already when a rebalance callback failed (e is the wrapper)
            LOG.log(System.Logger.Level.ERROR, "ingestion from " + config.topic() + " stopped: " + first.getMessage(),
                    first);
        } finally {
            consumer = null;
            shutDownWriters();
            logMetrics();
            finished.countDown();
        }
    }

    /**
     * Positions partitions whose stored offset the topic no longer has, or stops where the topic's events there are no
     * longer those stored (a log truncated by an unclean leader change). Below the log start, retention deleted events
     * before they were ingested: nothing brings them back, so ingestion goes on from the oldest kept, saying how many
     * are gone. Beyond the end, the topic was recreated or truncated since this store read it: its offsets no longer
     * match the store's, and reading from either end could repeat or skip events, so ingestion stops.
     */
    static void repositionOutOfRange(KafkaConsumer<byte[], byte[]> kafka, OffsetOutOfRangeException outOfRange) {
        if (outOfRange instanceof LogTruncationException truncated) {
            // An unclean leader change: the new leader's events from the divergence on differ from those stored
            throw new IllegalStateException(truncated.divergentOffsets().entrySet().stream()
                    .map(p -> p.getKey() + "'s log diverges from offset " + p.getValue().offset()
                            + ", below this store's position " + truncated.offsetOutOfRangePartitions().get(p.getKey()))
                    .collect(Collectors.joining("; ")) + ": the broker replaced events this store holds (an unclean "
                    + "leader election); ingest the topic into a new store");
        }
        Map<TopicPartition, Long> stored = outOfRange.offsetOutOfRangePartitions();
        Map<TopicPartition, Long> starts;
        Map<TopicPartition, Long> ends;
        try {
            starts = kafka.beginningOffsets(stored.keySet());
            ends = kafka.endOffsets(stored.keySet());
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            // The partitions keep their positions: the next poll reports them again, and this asks again
            LOG.log(System.Logger.Level.WARNING, "ingest: offsets " + stored + " are out of range, and the broker did "
                    + "not say where the partitions start and end (" + e.getMessage() + "); asking again");
            return;
        }
        stored.forEach((partition, offset) -> {
            long start = starts.get(partition);
            long end = ends.get(partition);
            if (offset > end) {
                throw new IllegalStateException(partition + " ends at offset " + end + ", but this store's position in it "
                        + "is " + offset + ": the topic was recreated or truncated since; ingest it into a new store");
            }
            if (offset >= start) { // back in range (a leader change, say): nothing was skipped
                kafka.seek(partition, offset);
                return;
            }
            LOG.log(System.Logger.Level.WARNING, "ingest " + partition + ": offset " + offset + " is gone (the partition "
                    + "starts at " + start + "): retention deleted offsets " + offset + " to " + (start - 1) + " (up to "
                    + (start - offset) + " events; compaction and transaction markers take offsets too) before they "
                    + "were ingested; going on from " + start);
            kafka.seek(partition, start);
        });
    }

    /** The topic's partition count as the consumer's metadata has it (no request while that is fresh). */
    private void refreshPartitionCount(KafkaConsumer<byte[], byte[]> kafka) {
        List<PartitionInfo> topicPartitions = kafka.partitionsFor(config.topic());
        if (!topicPartitions.isEmpty()) {
            partitionCounts.put(config.topic(), topicPartitions.size());
        }
    }

    /** Creates a Kafka client; the client's own error ("Failed to construct kafka consumer") hides the reason. */
    private static <T> T client(String what, Supplier<T> create) {
        try {
            return create.get();
        } catch (KafkaException e) {
            Throwable reason = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("cannot create the Kafka " + what + ": " + reason.getMessage(), e);
        }
    }

    /**
     * Offsets live in RocksDB, so closing need not wait long for the group: a stuck rejoin would hold a shutdown for
     * the client's default 30 s.
     */
    private record ClosingConsumer(KafkaConsumer<byte[], byte[]> kafka) implements AutoCloseable {
        @Override
        public void close() {
            kafka.close(CloseOptions.timeout(CONSUMER_CLOSE_TIMEOUT));
        }
    }

    /**
     * {@link #ensureDeadLetterTopic()}, which {@link #close()} may interrupt; false when closing meanwhile. An
     * interrupt can only come while the call runs, and none is left behind to break the consumer's calls after it.
     */
    private boolean ensureDeadLetterTopicUnlessClosed() {
        synchronized (startLock) {
            if (stopping) {
                return false;
            }
            creatingDeadLetterTopic = true;
        }
        try {
            while (!stopping) {
                try {
                    ensureDeadLetterTopic();
                    break;
                } catch (IllegalStateException e) {
                    if (stopping) {
                        break;
                    }
                    if (!(e.getCause() instanceof java.util.concurrent.TimeoutException
                            || e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException)) {
                        throw e;
                    }
                    // no broker yet (one started alongside, say): the consumer would wait for it as well
                    LOG.log(System.Logger.Level.WARNING, "ingest " + config.topic() + ": " + e.getMessage()
                            + "; trying again");
                }
            }
        } finally {
            synchronized (startLock) {
                creatingDeadLetterTopic = false;
                Thread.interrupted();
            }
        }
        return !stopping;
    }

    /**
     * Creates the dead-letter topic unless it exists, before any dead letter: with the broker's auto-creation off,
     * every send to a missing topic would block and then fail. Created as auto-creation would, but taking a dead
     * letter of a record of the largest default size.
     */
    private void ensureDeadLetterTopic() {
        try {
            KafkaTopics.ensureWithBrokerDefaults(clientConfig(), config.dlqTopic(),
                    Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(DEAD_LETTER_MAX_BYTES)),
                    config.adminTimeout());
        } catch (IllegalStateException e) {
            // A cluster that lets this principal write the topic but not create it (the operator made it), or
            // forbids creating it this way: use it as it is; a send to a topic that is truly missing still fails.
            if (!(e.getCause() instanceof AuthorizationException || e.getCause() instanceof PolicyViolationException
                    || e.getCause() instanceof UnsupportedVersionException)) {
                throw e;
            }
            LOG.log(System.Logger.Level.WARNING, "ingest " + config.topic() + ": cannot create dead-letter topic "
                    + config.dlqTopic() + " (" + e.getCause().getMessage() + "); using it as the cluster has it");
        }
    }

    /**
     * What every client of this ingestor needs besides its own settings: the bootstrap servers and the security
     * settings among the consumer overrides (the dead-letter producer and the admin client talk to the same cluster).
     */
    private Map<String, Object> clientConfig() {
        Map<String, Object> shared = new HashMap<>();
        config.consumerOverrides().forEach((key, value) -> {
            if (SHARED_CONFIG_PREFIXES.stream().anyMatch(key::startsWith)) {
                shared.put(key, value);
            }
        });
        shared.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return shared;
    }

    /** Hands each partition's share of a poll to the writer owning that partition. */
    private void dispatch(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> partitionRecords = records.records(partition);
            PartitionBatch batch = new PartitionBatch(partition, partitionRecords,
                    partitionRecords.get(partitionRecords.size() - 1).offset() + 1);
            PartitionWriter writer = writers[Math.floorMod(partition.partition(), writers.length)];
            submit(writer, () -> writer.apply(batch));
        }
    }

    /** Asks every writer to store what it holds, after the batches already handed to it. */
    private void requestFlush() throws InterruptedException {
        for (PartitionWriter writer : writers) {
            submit(writer, writer::flush);
        }
    }

    /** Whether the consumer has read every event of its partitions that the broker had at the last fetch. */
    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> kafka) {
        for (TopicPartition partition : kafka.assignment()) {
            OptionalLong partitionLag = kafka.currentLag(partition);
            if (partitionLag.isPresent() && partitionLag.getAsLong() > 0) {
                return false;
            }
        }
        return true;
    }

    /** Runs the task on the writer's thread; after a failure nothing more is stored, so no partition gets a gap. */
    private void submit(PartitionWriter writer, WriterTask task) throws InterruptedException {
        inFlight.acquire();
        writer.thread.execute(() -> {
            try {
                if (failure.get() == null) {
                    task.run();
                }
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
        });
    }

    private interface WriterTask {
        void run() throws Exception;
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
        for (PartitionWriter writer : writers) {
            if (writer != null) {
                writer.thread.shutdown();
            }
        }
        for (PartitionWriter writer : writers) {
            try {
                if (writer != null && !writer.thread.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.log(System.Logger.Level.WARNING, "a RocksDB writer of " + config.topic() + " did not stop in time");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One partition's share of a poll, undecoded. */
    private record PartitionBatch(TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records,
                                  long nextOffset) {
    }

    /**
     * A writer thread and what it has applied but not yet stored. Only its own thread touches the appender and the
     * pending figures.
     */
    private final class PartitionWriter {
        final ExecutorService thread;
        private final SequenceAppender appender;
        private final Utf8EventBatch decoded = new Utf8EventBatch();
        private final Map<TopicPartition, OffsetAndMetadata> pendingOffsets = new HashMap<>();
        /** Per dense item id, whether {@link #knowledgeOf} knows the item: 0 not looked up yet, else KNOWN/UNKNOWN. */
        private byte[] modelKnowledge = new byte[0];
        private IdMapping knowledgeOf;
        private long pendingRejected;
        private long pendingUnknown;
        private boolean deadLettersSent;
        /** The first failed send of this writer's dead letters (each writer checks its own before storing offsets). */
        private final AtomicReference<Exception> deadLetterFailure = new AtomicReference<>();
        /** Dead letters refused as too large, to be sent again smaller (filled by producer callbacks). */
        private final Queue<DeadLetter> tooLarge = new ConcurrentLinkedQueue<>();

        PartitionWriter(ExecutorService thread, SequenceAppender appender) {
            this.thread = thread;
            this.appender = appender;
        }

        /** Decodes the batch into the appender; malformed records go to the dead-letter topic. */
        void apply(PartitionBatch batch) {
            int bad = 0;
            TopicPartition partition = batch.partition();
            int partitionCount = partitionCounts.getOrDefault(partition.topic(), PARTITION_COUNT_UNKNOWN);
            for (ConsumerRecord<byte[], byte[]> record : batch.records()) {
                try {
                    codec.decodeInto(record.key(), record.value(), record.timestamp(), decoded);
                } catch (MalformedEventException e) {
                    sendToDeadLetters(record, e.getMessage());
                    bad++;
                    continue;
                }
                // The user's bytes are the key's: decoding checked that they are equal. A partition beyond the count
                // means partitions were added since the last assignment: the count is stale, so nothing is checked.
                if (partitionCount > 1 && partition.partition() < partitionCount) {
                    int expected = userPartition(decoded.users[decoded.size - 1], partitionCount);
                    if (expected != partition.partition()) {
                        decoded.removeLast();
                        sendToDeadLetters(record,
                                wrongPartitionReason(partition.partition(), expected, partitionCount));
                        bad++;
                    }
                }
            }
            appender.add(decoded);
            countItemsUnknownToModel();
            decoded.clear();
            appender.rejected(bad);
            appender.consumed(new PartitionOffset(partition.topic(), partition.partition(), batch.nextOffset()));
            pendingOffsets.put(partition, new OffsetAndMetadata(batch.nextOffset()));
            pendingRejected += bad;
            if (appender.overBudget()) {
                flush();
            }
        }

        /**
         * Stores everything applied, with its offsets, in one batch. Dead letters are on the broker before any of
         * their offsets can be stored, or a crash could lose them.
         */
        void flush() {
            if (pendingOffsets.isEmpty()) {
                return;
            }
            if (deadLettersSent) {
                deadLetters.flush();
                resendTooLargeSmaller();
                throwIfDeadLettersFailed();
                deadLettersSent = false;
            }
            long stored = appender.pendingEvents();
            appender.flush();
            // Counted once stored: the metrics may trail the store for a moment but never claim what a failed write
            // did not store
            events.addAndGet(stored);
            rejected.addAndGet(pendingRejected);
            unknownItemEvents.addAndGet(pendingUnknown);
            storedNotCommitted.putAll(pendingOffsets);
            pendingOffsets.clear();
            pendingRejected = 0;
            pendingUnknown = 0;
        }

        private void countItemsUnknownToModel() {
            IdMapping model = modelItems;
            if (model == null) {
                return;
            }
            if (model != knowledgeOf) {
                knowledgeOf = model;
                modelKnowledge = new byte[0];
            }
            for (int e = 0; e < decoded.size; e++) {
                int item = decoded.itemIds[e];
                if (item >= modelKnowledge.length) {
                    modelKnowledge = Arrays.copyOf(modelKnowledge, Math.max(item + 1, modelKnowledge.length * 2));
                }
                if (modelKnowledge[item] == 0) {
                    modelKnowledge[item] = model.id(store.itemName(item)) == IdMapping.UNKNOWN ? UNKNOWN : KNOWN;
                }
                if (modelKnowledge[item] == UNKNOWN) {
                    pendingUnknown++;
                }
            }
        }

        /** After a rebalance: the users of partitions handed over may change elsewhere before they come back. */
        void forget() {
            flush();
            appender.forget();
        }

        private void throwIfDeadLettersFailed() {
            Exception sendFailure = deadLetterFailure.get();
            if (sendFailure != null) {
                throw new IllegalStateException("cannot write to dead-letter topic " + config.dlqTopic() + ": "
                        + sendFailure.getMessage(), sendFailure);
            }
        }

        private void sendToDeadLetters(ConsumerRecord<byte[], byte[]> record, String reason) {
            // Once a send has failed the batch fails anyway: more sends would only wait for the broker in vain.
            throwIfDeadLettersFailed();
            send(deadLetter(config.dlqTopic(), record, reason));
            deadLettersSent = true;
        }

        /**
         * Sends the dead letter; one the topic or the producer refuses as too large is queued to be sent again
         * smaller ({@link DeadLetter#smaller()}), until only seqrec's own headers are left.
         */
        private void send(DeadLetter deadLetter) {
            deadLetters.send(deadLetter.record(), (metadata, e) -> {
                // Resent by the writer, not from this callback: a send here would escape the flush under way.
                DeadLetter smaller = e instanceof RecordTooLargeException ? deadLetter.smaller() : null;
                if (smaller != null) {
                    tooLarge.add(smaller);
                } else if (e != null) {
                    deadLetterFailure.compareAndSet(null, e);
                }
            });
        }

        /**
         * Sends the dead letters refused as too large again, each smaller than before, and waits for them, until
         * none is refused or one fails for good.
         */
        private void resendTooLargeSmaller() {
            while (!tooLarge.isEmpty() && deadLetterFailure.get() == null) {
                DeadLetter smaller;
                while ((smaller = tooLarge.poll()) != null) {
                    send(smaller);
                }
                deadLetters.flush(); // the callbacks of the sends have run, and may have queued smaller ones again
            }
        }
    }

    /**
     * A dead letter, and how many of its headers (the first ones) are the source record's; the others are seqrec's
     * own, small and bounded ({@link #DEAD_LETTER_HEADER_BYTES}).
     */
    record DeadLetter(ProducerRecord<byte[], byte[]> record, int sourceHeaders) {
        /**
         * The dead letter to send after this one was refused as too large: without its value, else without its key,
         * else without the source record's headers, with a header giving the size of what was dropped; null when
         * nothing is left to drop.
         */
        DeadLetter smaller() {
            Header[] headers = record.headers().toArray(); // the sent record's are read-only: a copy
            byte[] key = record.key();
            byte[] value = record.value();
            int kept = sourceHeaders;
            String dropped;
            long size;
            if (value != null) {
                dropped = TRUNCATED_HEADER;
                size = value.length;
                value = null;
            } else if (key != null) {
                dropped = TRUNCATED_KEY_HEADER;
                size = key.length;
                key = null;
            } else if (sourceHeaders > 0) {
                dropped = TRUNCATED_HEADERS_HEADER;
                size = 0;
                for (int h = 0; h < sourceHeaders; h++) {
                    size += headers[h].key().getBytes(StandardCharsets.UTF_8).length
                            + (headers[h].value() == null ? 0 : headers[h].value().length);
                }
                headers = Arrays.copyOfRange(headers, sourceHeaders, headers.length);
                kept = 0;
            } else {
                return null;
            }
            Headers smallerHeaders = new RecordHeaders(headers);
            smallerHeaders.add(dropped, Long.toString(size).getBytes(StandardCharsets.UTF_8));
            return new DeadLetter(new ProducerRecord<>(record.topic(), null, record.timestamp(), key, value,
                    smallerHeaders), kept);
        }
    }

    /**
     * The dead letter of {@code record}: its key, value and headers plus the reason, where it came from and its
     * time ({@value #SOURCE_TIMESTAMP_HEADER}, none when it has none). It is sent at the current time, not the
     * record's, so that the dead-letter topic keeps it for its whole retention.
     */
    static DeadLetter deadLetter(String dlqTopic, ConsumerRecord<byte[], byte[]> record, String reason) {
        Header[] sourceHeaders = record.headers().toArray();
        Headers headers = new RecordHeaders(sourceHeaders);
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_TOPIC_HEADER, record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_PARTITION_HEADER, Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_OFFSET_HEADER, Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        if (record.timestamp() >= 0) { // a record of an old message format may have none
            headers.add(SOURCE_TIMESTAMP_HEADER, Long.toString(record.timestamp()).getBytes(StandardCharsets.UTF_8));
        }
        return new DeadLetter(new ProducerRecord<>(dlqTopic, null, null, record.key(), record.value(), headers),
                sourceHeaders.length);
    }

    /** The partition Kafka's default partitioner (the Java client's; librdkafka's murmur2_random) gives a user. */
    static int userPartition(byte[] user, int partitionCount) {
        return Utils.toPositive(Utils.murmur2(user)) % partitionCount;
    }

    private static String wrongPartitionReason(int partition, int expected, int partitionCount) {
        return "event on partition " + partition + ", not on its user's partition " + expected + " of " + partitionCount
                + ": events must be keyed by their user id with Kafka's default (murmur2) partitioner";
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

    /** The metrics line; items unknown to the model only while there is a model to know them (not in seqrec ingest). */
    private void logMetrics() {
        IngestMetrics m = metrics();
        String unknownItems = modelItems == null ? ""
                : String.format(", %,d with items unknown to the model", m.unknownItemEvents());
        LOG.log(System.Logger.Level.INFO, String.format(
                "ingest %s: %,d events stored (%,.0f/s), lag %s, %,d rejected to %s%s, %d partitions",
                config.topic(), m.events(), m.eventsPerSecond(), m.lag() < 0 ? "unknown" : String.format("%,d", m.lag()),
                m.rejected(), config.dlqTopic(), unknownItems, m.assignedPartitions()));
    }

    private Properties consumerProperties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.maxPollRecords()));
        // Every assigned partition is positioned explicitly; an offset out of range is handled, never reset silently
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.putAll(config.consumerOverrides());
        return props;
    }

    private Properties dlqProducerProperties() {
        Properties props = new Properties();
        props.putAll(clientConfig());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(DEAD_LETTER_MAX_BLOCK.toMillis()));
        // Delivery keeps Kafka's 2-minute timeout: a failed dead letter stops ingestion, so it must outlast a broker
        // restart, even if a shutdown during one then waits for it
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(DEAD_LETTER_MAX_BYTES));
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
            storeEverything(false);
            // After every rebalance, which partitions added to the topic cause as well (even one assigning nothing new)
            refreshPartitionCount(kafka);
            if (!partitions.isEmpty()) {
                checkTopicId();
            }
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
                    List<TopicPartition> atTheEnd = seekToGroupPositionOrEnd(fresh);
                    // Store the start now: after a crash before the first event, the same events must follow.
                    List<PartitionOffset> starts = new ArrayList<>();
                    Map<TopicPartition, OffsetAndMetadata> endStarts = new HashMap<>();
                    for (TopicPartition partition : fresh) {
                        long start = kafka.position(partition);
                        starts.add(new PartitionOffset(partition.topic(), partition.partition(), start));
                        if (atTheEnd.contains(partition)) {
                            endStarts.put(partition, new OffsetAndMetadata(start));
                        }
                    }
                    // Commit a start at the end to the group at once, before storing it: while no event comes,
                    // nothing else would, and an owner that crashed or lost the partition without revoking it would
                    // leave the next one, new to the partition too, nothing to start from but the end, past the
                    // events sent meanwhile.
                    if (!commitToGroup(endStarts, "start positions")) {
                        storedNotCommitted.putAll(endStarts); // the periodic commit tries again
                    }
                    store.append(List.of(), starts, 0);
                }
            }
            assignedPartitions = kafka.assignment().size();
            LOG.log(System.Logger.Level.INFO, "ingest " + config.topic() + ": assigned " + partitions
                    + " (" + fresh.size() + " without stored offsets, starting at " + config.startPosition() + ")");
        }

        /**
         * {@link IngestConfig.StartPosition#LATEST}: where the group left off when it has committed an offset (as
         * when another instance owned the partition until this rebalance), else the end. The end alone would skip
         * the events that arrived after the previous owner's last poll: no instance would ever store them.
         */
        private List<TopicPartition> seekToGroupPositionOrEnd(List<TopicPartition> fresh) {
            Map<TopicPartition, OffsetAndMetadata> committed = kafka.committed(new HashSet<>(fresh));
            List<TopicPartition> uncommitted = new ArrayList<>();
            for (TopicPartition partition : fresh) {
                OffsetAndMetadata offset = committed.get(partition);
                if (offset != null) {
                    kafka.seek(partition, offset.offset());
                } else {
                    uncommitted.add(partition);
                }
            }
            if (!uncommitted.isEmpty()) {
                kafka.seekToEnd(uncommitted);
            }
            return uncommitted;
        }

        /**
         * Stops ingestion when the topic is not the one this store's offsets are in: deleted and created again under
         * its name since, its offsets no longer match the store's whether it is shorter or longer (only a shorter
         * one shows as offsets out of range). Records the topic's id when the store has none (a store that never
         * consumed the topic, or one written before ids were recorded).
         */
        private void checkTopicId() {
            Optional<String> current = KafkaTopics.topicId(clientConfig(), config.topic(), config.adminTimeout());
            if (current.isEmpty()) {
                return; // a broker that gives topics no ids
            }
            Optional<String> recorded = store.storedTopicId(config.topic());
            if (recorded.equals(current)) {
                return;
            }
            if (recorded.isPresent() && !store.storedOffsets(config.topic()).isEmpty()) {
                IllegalStateException changed = new IllegalStateException("topic " + config.topic() + " is not the "
                        + "one this store read (its id was " + recorded.get() + ", now " + current.get() + "): it was "
                        + "deleted and created again since, and reading on would skip or repeat events; ingest it "
                        + "into a new store");
                failure.compareAndSet(null, changed); // the consumer hands it on wrapped
                throw changed;
            }
            store.recordTopicId(config.topic(), current.get());
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Batches already handed out are stored with their offsets; the next owner starts after them.
            storeEverything(true);
            commitStored(partitions);
            assignedPartitions = Math.max(0, kafka.assignment().size() - partitions.size());
        }

        /**
         * Commits the revoked partitions' stored offsets, which the periodic commit skips once they are revoked: a
         * next owner that has never consumed them and starts at LATEST starts there. Best effort: partitions that
         * are lost rather than revoked cannot be committed.
         */
        private void commitStored(Collection<TopicPartition> partitions) {
            // From the store itself, which holds every offset stored (a LATEST start included), not only those the
            // periodic commit has not sent yet (it may also have failed: its callback is not checked)
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            for (TopicPartition partition : partitions) {
                storedNotCommitted.remove(partition);
                OptionalLong stored = store.storedOffset(partition.topic(), partition.partition());
                if (stored.isPresent()) {
                    commit.put(partition, new OffsetAndMetadata(stored.getAsLong()));
                }
            }
            commitToGroup(commit, "stored offsets");
        }

        /**
         * Commits the offsets to the group synchronously; false, after a warning, when they cannot be. Best
         * effort: the store holds the offsets that matter, the group's serve lag tools and LATEST starts.
         */
        private boolean commitToGroup(Map<TopicPartition, OffsetAndMetadata> commit, String what) {
            if (commit.isEmpty()) {
                return true;
            }
            try {
                try {
                    kafka.commitSync(commit, REVOKE_COMMIT_TIMEOUT);
                } catch (WakeupException e) {
                    // Meant for the poll loop, which also checks the flag behind it (stopping or a failure).
                    kafka.commitSync(commit, REVOKE_COMMIT_TIMEOUT);
                }
                return true;
            } catch (KafkaException e) {
                LOG.log(System.Logger.Level.WARNING, "ingest " + config.topic() + ": cannot commit the " + what + " of "
                        + commit.keySet() + " to group " + config.groupId() + ": " + e.getMessage());
                return false;
            }
        }

        /** Flushes every writer and waits for it; {@code forget} also drops the writers' cached user tails. */
        private void storeEverything(boolean forget) {
            try {
                for (PartitionWriter writer : writers) {
                    submit(writer, forget ? writer::forget : writer::flush);
                }
                awaitWriters();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while storing events before a rebalance", e);
            }
        }
    }
}
