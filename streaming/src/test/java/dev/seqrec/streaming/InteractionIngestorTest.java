package dev.seqrec.streaming;

import dev.seqrec.eval.data.IdMapping;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.LogTruncationException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.server.config.ServerLogConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(TestKafka.class)
class InteractionIngestorTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Three zero bytes first: Jackson reads the value as UTF-32, and fails with an I/O error, not a parse error. */
    private static final String UTF_32_LOOKALIKE = "\u0000\u0000\u0000{}";
    /** A batch's own header (61 bytes) and, generously, a small record's framing and key. */
    private static final int RECORD_OVERHEAD_BYTES = 161;
    /** A dead-letter topic's record limit that takes a dead letter's headers but not the value below. */
    private static final int SMALL_DEAD_LETTER_LIMIT_BYTES = 4096;
    private static final int TOO_LARGE_VALUE_BYTES = 2 * SMALL_DEAD_LETTER_LIMIT_BYTES;

    @TempDir
    Path dir;

    @Test
    void malformedEventsGoToTheDeadLetterTopicWithTheirReasonAndTheGoodOnesAroundThemAreStored() throws Exception {
        String topic = TestKafka.newTopic(1);
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            TestKafka.sendEvent(producer, topic, "u1", "a");
            TestKafka.send(producer, topic, "u1", "not json");
            TestKafka.send(producer, topic, "u1", "{\"user\":\"u1\"}");
            TestKafka.send(producer, topic, "u1", "{\"user\":\"u1\",\"item\":42}");
            TestKafka.sendEvent(producer, topic, "u1", "b");
            TestKafka.send(producer, topic, "u2", "{\"user\":\"u2\",\"item\":\"" + "x".repeat(300) + "\"}");
            TestKafka.sendEvent(producer, topic, "u2", "c");
            TestKafka.send(producer, topic, "u2", UTF_32_LOOKALIKE);
            TestKafka.sendEvent(producer, topic, "u2", "d");
        }
        try (RocksSequenceStore store = RocksSequenceStore.open(dir, StoreConfig.defaults());
             InteractionIngestor ingestor = new InteractionIngestor(IngestConfig.of(TestKafka.bootstrap(), topic), store)) {
            ingestor.start();
            TestKafka.await("9 events consumed and counted", TIMEOUT,
                    () -> store.storedOffset(topic, 0).orElse(0) == 9 && counted(ingestor) >= 9);
            assertEquals(List.of("a", "b"), store.recentItems("u1", 10));
            assertEquals(List.of("c", "d"), store.recentItems("u2", 10));
            assertEquals(new StoreCounts(2, 4, 4, 5), store.counts());
            assertEquals(5, ingestor.metrics().rejected());
            assertEquals(4, ingestor.metrics().events());
            assertNull(ingestor.failure());
        }
        List<ConsumerRecord<byte[], byte[]>> deadLetters = TestKafka.readAll(topic + IngestConfig.DLQ_SUFFIX, TIMEOUT);
        assertEquals(5, deadLetters.size());
        Map<String, String> reasonByValue = deadLetters.stream().collect(Collectors.toMap(
                r -> new String(r.value(), StandardCharsets.UTF_8),
                r -> new String(r.headers().lastHeader(InteractionIngestor.REASON_HEADER).value(), StandardCharsets.UTF_8)));
        assertTrue(reasonByValue.remove("not json").startsWith("not valid JSON: Unrecognized token 'not'"));
        assertTrue(reasonByValue.remove(UTF_32_LOOKALIKE).startsWith("not valid JSON: "));
        assertEquals(Map.of(
                "{\"user\":\"u1\"}", "missing \"item\"",
                "{\"user\":\"u1\",\"item\":42}", "\"item\" must be a string",
                "{\"user\":\"u2\",\"item\":\"" + "x".repeat(300) + "\"}", "\"item\" is longer than 256 bytes"),
                reasonByValue);
    }

    @Test
    void onceCaughtUpEveryEventIsStoredWithoutWaitingForTheFlushInterval() throws Exception {
        String topic = TestKafka.newTopic(2);
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            for (int i = 0; i < 50; i++) {
                TestKafka.sendEvent(producer, topic, "u" + i % 5, "i" + i);
            }
        }
        IngestConfig config = IngestConfig.of(TestKafka.bootstrap(), topic).withFlushInterval(Duration.ofHours(1));
        try (RocksSequenceStore store = RocksSequenceStore.open(dir, StoreConfig.defaults());
             InteractionIngestor ingestor = new InteractionIngestor(config, store)) {
            ingestor.start();
            TestKafka.await("50 events stored and counted", TIMEOUT,
                    () -> store.counts().events() == 50 && ingestor.metrics().events() == 50);
            assertEquals(List.of("i0", "i5", "i10", "i15", "i20", "i25", "i30", "i35", "i40", "i45"),
                    store.recentItems("u0", 50));
        }
    }

    @Test
    void eventsThatRetentionDeletedBeforeIngestionAreSkippedAndIngestionGoesOn() throws Exception {
        String topic = TestKafka.newTopic(1);
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            for (String item : List.of("a", "b", "c", "d")) {
                TestKafka.sendEvent(producer, topic, "u1", item);
            }
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(2))).all().get();
        }
        try (RocksSequenceStore store = RocksSequenceStore.open(dir, StoreConfig.defaults());
             InteractionIngestor ingestor = new InteractionIngestor(IngestConfig.of(TestKafka.bootstrap(), topic), store)) {
            store.append(List.of(Interaction.of("u1", "a")), List.of(new PartitionOffset(topic, 0, 1)), 0);
            ingestor.start();
            TestKafka.await("the partition consumed", TIMEOUT, () -> store.storedOffset(topic, 0).orElse(0) == 4);
            assertEquals(List.of("a", "c", "d"), store.recentItems("u1", 10)); // b was gone
            assertNull(ingestor.failure());
        }
    }

    @Test
    void aStoredOffsetBeyondTheTopicsEndStopsIngestionSayingTheTopicChanged() throws Exception {
        String topic = TestKafka.newTopic(1);
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            TestKafka.sendEvent(producer, topic, "u1", "a");
            TestKafka.sendEvent(producer, topic, "u1", "b");
        }
        try (RocksSequenceStore store = RocksSequenceStore.open(dir, StoreConfig.defaults());
             InteractionIngestor ingestor = new InteractionIngestor(IngestConfig.of(TestKafka.bootstrap(), topic), store)) {
            // what a store keeps from an earlier topic of that name, read up to offset 100
            store.append(List.of(), List.of(new PartitionOffset(topic, 0, 100)), 0);
            ingestor.start();
            assertTrue(ingestor.awaitTermination(TIMEOUT), "stopped");
            assertEquals(topic + "-0 ends at offset 2, but this store's position in it is 100: the topic was recreated "
                    + "or truncated since; ingest it into a new store", ingestor.failure().getMessage());
            assertEquals(List.of(), store.recentItems("u1", 10));
        }
    }

    /**
     * What poll throws after an unclean leader change (auto.offset.reset none): the new leader's log diverges at
     * offset 5 below the position 8, so offsets 5-7 now hold other events than the stored ones. A LogTruncationException
     * is an OffsetOutOfRangeException whose position 8 is back in range: it must not be read as "nothing skipped".
     */
    @Test
    void aLogTruncatedBelowTheStoredPositionStopsIngestionRatherThanSkippingTheReplacedEvents() {
        String topic = TestKafka.newTopic(1);
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            for (int i = 0; i < 10; i++) {
                TestKafka.sendEvent(producer, topic, "u", "i" + i);
            }
        }
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            kafka.assign(List.of(partition));
            kafka.seek(partition, 8);
            LogTruncationException truncated = new LogTruncationException("diverged", Map.of(partition, 8L),
                    Map.of(partition, new OffsetAndMetadata(5)));
            IllegalStateException stop = assertThrows(IllegalStateException.class,
                    () -> InteractionIngestor.repositionOutOfRange(kafka, truncated));
            assertEquals(topic + "-0's log diverges from offset 5, below this store's position 8: the broker replaced "
                    + "events this store holds (an unclean leader election); ingest the topic into a new store",
                    stop.getMessage());
            assertEquals(8, kafka.position(partition));
        }
    }

    @Test
    void aTopicDeletedAndCreatedAgainWithMoreEventsThanTheStoredOffsetStopsIngestionSayingSo() throws Exception {
        String topic = TestKafka.newTopic(1);
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            for (String item : List.of("a", "b", "c")) {
                TestKafka.sendEvent(producer, topic, "old", item);
            }
        }
        Map<String, Object> client = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap());
        String oldId = KafkaTopics.topicId(client, topic).orElseThrow();
        try (RocksSequenceStore store = RocksSequenceStore.open(dir, StoreConfig.defaults());
             InteractionIngestor ingestor = new InteractionIngestor(IngestConfig.of(TestKafka.bootstrap(), topic), store)) {
            ingestor.start();
            TestKafka.await("the old topic consumed", TIMEOUT, () -> store.storedOffset(topic, 0).orElse(0) == 3);
        }
        KafkaTopics.delete(TestKafka.bootstrap(), topic);
        KafkaTopics.ensure(TestKafka.bootstrap(), topic, 1, (short) 1);
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            for (String item : List.of("x", "y", "z", "p", "q")) { // past the stored offset: no offset out of range
                TestKafka.sendEvent(producer, topic, "new", item);
            }
        }
        String newId = KafkaTopics.topicId(client, topic).orElseThrow();
        try (RocksSequenceStore store = RocksSequenceStore.open(dir, StoreConfig.defaults());
             InteractionIngestor ingestor = new InteractionIngestor(IngestConfig.of(TestKafka.bootstrap(), topic), store)) {
            ingestor.start();
            assertTrue(ingestor.awaitTermination(TIMEOUT), "stopped");
            assertEquals("topic " + topic + " is not the one this store read (its id was " + oldId + ", now " + newId
                    + "): it was deleted and created again since, and reading on would skip or repeat events; ingest "
                    + "it into a new store", ingestor.failure().getMessage());
            assertEquals(List.of(), store.recentItems("new", 10));
            assertEquals(OptionalLong.of(3), store.storedOffset(topic, 0));
        }
    }

    @Test
    void aStoreWrittenBeforeTopicIdsWereRecordedGoesOnAndRecordsTheTopicsId() throws Exception {
        String topic = TestKafka.newTopic(1);
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            TestKafka.sendEvent(producer, topic, "u1", "a");
            TestKafka.sendEvent(producer, topic, "u1", "b");
        }
        try (RocksSequenceStore store = RocksSequenceStore.open(dir, StoreConfig.defaults());
             InteractionIngestor ingestor = new InteractionIngestor(IngestConfig.of(TestKafka.bootstrap(), topic), store)) {
            // what such a store holds: offsets without a topic id
            store.append(List.of(Interaction.of("u1", "a")), List.of(new PartitionOffset(topic, 0, 1)), 0);
            assertEquals(Optional.empty(), store.storedTopicId(topic));
            ingestor.start();
            TestKafka.await("the partition consumed", TIMEOUT, () -> store.storedOffset(topic, 0).orElse(0) == 2);
            assertEquals(List.of("a", "b"), store.recentItems("u1", 10));
            assertNull(ingestor.failure());
            assertEquals(KafkaTopics.topicId(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()),
                    topic), store.storedTopicId(topic));
        }
    }

    @Test
    void anIngestorWhoseKafkaClientsCannotBeCreatedStopsAndSaysWhy() throws Exception {
        IngestConfig config = IngestConfig.of("localhost", "t-unreachable"); // no port
        try (RocksSequenceStore store = RocksSequenceStore.open(dir, StoreConfig.defaults());
             InteractionIngestor ingestor = new InteractionIngestor(config, store)) {
            ingestor.start();
            assertTrue(ingestor.awaitTermination(TIMEOUT), "stopped");
            assertEquals("cannot create the Kafka dead-letter producer: Invalid url in bootstrap.servers: localhost",
                    ingestor.failure().getMessage());
        }
    }

    @Test
    void closingWhileNoBrokerAnswersDoesNotWaitForTheAdminTimeout() throws Exception {
        // Nothing listens on port 1: the dead-letter topic's creation would wait out the admin timeout, far longer
        // than the test's own
        IngestConfig config = IngestConfig.of("127.0.0.1:1", "t-nobody").withAdminTimeout(Duration.ofDays(1));
        try (RocksSequenceStore store = RocksSequenceStore.open(dir, StoreConfig.defaults())) {
            InteractionIngestor ingestor = new InteractionIngestor(config, store);
            ingestor.start();
            TestKafka.await("the dead-letter topic's creation", TIMEOUT, ingestor::creatingDeadLetterTopic);
            assertTimeoutPreemptively(TIMEOUT, ingestor::close, "close waits for the admin timeout");
            assertEquals(null, ingestor.failure(), "a shutdown is not a failure");
        }
    }

    @Test
    void startingCreatesTheDeadLetterTopicBeforeAnyDeadLetter() throws Exception {
        String topic = TestKafka.newTopic(1);
        try (RocksSequenceStore store = RocksSequenceStore.open(dir, StoreConfig.defaults());
             InteractionIngestor ingestor = new InteractionIngestor(IngestConfig.of(TestKafka.bootstrap(), topic), store)) {
            ingestor.start();
            TestKafka.await("the partition to be assigned", TIMEOUT, () -> ingestor.metrics().assignedPartitions() == 1);
            assertTrue(TestKafka.topicExists(topic + IngestConfig.DLQ_SUFFIX));
        }
    }

    @Test
    void aMalformedRecordAsLargeAsATopicTakesByDefaultStillGoesToTheDeadLetterTopic() throws Exception {
        String topic = TestKafka.newTopic(1);
        String value = "x".repeat(ServerLogConfigs.MAX_MESSAGE_BYTES_DEFAULT - RECORD_OVERHEAD_BYTES);
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            TestKafka.send(producer, topic, "u1", value);
            TestKafka.sendEvent(producer, topic, "u1", "a");
        }
        try (RocksSequenceStore store = RocksSequenceStore.open(dir, StoreConfig.defaults());
             InteractionIngestor ingestor = new InteractionIngestor(IngestConfig.of(TestKafka.bootstrap(), topic), store)) {
            ingestor.start();
            TestKafka.await("2 events consumed", TIMEOUT, () -> store.storedOffset(topic, 0).orElse(0) == 2);
            assertNull(ingestor.failure());
        }
        List<ConsumerRecord<byte[], byte[]>> deadLetters = TestKafka.readAll(topic + IngestConfig.DLQ_SUFFIX, TIMEOUT);
        assertEquals(1, deadLetters.size());
        assertEquals(value, new String(deadLetters.get(0).value(), StandardCharsets.UTF_8));
    }

    @Test
    void anEventOnAnotherPartitionThanItsUsersGoesToTheDeadLetterTopicAndTheUsersOthersAreStored() throws Exception {
        int partitions = 2;
        String topic = TestKafka.newTopic(partitions);
        int usersPartition = InteractionIngestor.userPartition("u".getBytes(StandardCharsets.UTF_8), partitions);
        int otherPartition = 1 - usersPartition;
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            TestKafka.sendEvent(producer, topic, "u", "a");
            producer.send(new ProducerRecord<>(topic, otherPartition, "u".getBytes(StandardCharsets.UTF_8),
                    InteractionEventCodec.encode(Interaction.of("u", "b"))));
            TestKafka.sendEvent(producer, topic, "u", "c");
        }
        try (RocksSequenceStore store = RocksSequenceStore.open(dir, StoreConfig.defaults());
             InteractionIngestor ingestor = new InteractionIngestor(IngestConfig.of(TestKafka.bootstrap(), topic), store)) {
            ingestor.start();
            TestKafka.await("both partitions consumed and counted", TIMEOUT,
                    () -> store.storedOffset(topic, usersPartition).orElse(0) == 2
                            && store.storedOffset(topic, otherPartition).orElse(0) == 1 && counted(ingestor) >= 3);
            assertEquals(List.of("a", "c"), store.recentItems("u", 10));
            assertEquals(1, ingestor.metrics().rejected());
        }
        List<ConsumerRecord<byte[], byte[]>> deadLetters = TestKafka.readAll(topic + IngestConfig.DLQ_SUFFIX, TIMEOUT);
        assertEquals(1, deadLetters.size());
        assertEquals("event on partition " + otherPartition + ", not on its user's partition " + usersPartition
                        + " of " + partitions + ": events must be keyed by their user id with Kafka's default (murmur2) partitioner",
                new String(deadLetters.get(0).headers().lastHeader(InteractionIngestor.REASON_HEADER).value(),
                        StandardCharsets.UTF_8));
    }

    @Test
    void eventsOnAPartitionAddedWhileIngestingAreCheckedAgainstTheNewCount() throws Exception {
        String topic = TestKafka.newTopic(2);
        String belongs = userOfPartition(2, 3);
        String movedElsewhere = userOfPartition(0, 3);
        // The consumer sees partitions added at its next metadata refresh: every half second, not Kafka's 5 minutes
        IngestConfig config = IngestConfig.of(TestKafka.bootstrap(), topic)
                .withConsumerOverrides(Map.of(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500"));
        try (RocksSequenceStore store = RocksSequenceStore.open(dir, StoreConfig.defaults());
             InteractionIngestor ingestor = new InteractionIngestor(config, store)) {
            ingestor.start();
            TestKafka.await("the two partitions assigned", TIMEOUT, () -> ingestor.metrics().assignedPartitions() == 2);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
                admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(3))).all().get();
            }
            try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
                for (String user : List.of(belongs, movedElsewhere)) {
                    producer.send(new ProducerRecord<>(topic, 2, user.getBytes(StandardCharsets.UTF_8),
                            InteractionEventCodec.encode(Interaction.of(user, "a"))));
                }
            }
            TestKafka.await("the added partition consumed and counted", TIMEOUT,
                    () -> store.storedOffset(topic, 2).orElse(0) == 2 && counted(ingestor) >= 2);
            assertEquals(List.of("a"), store.recentItems(belongs, 10));
            assertEquals(List.of(), store.recentItems(movedElsewhere, 10));
            assertEquals(1, ingestor.metrics().rejected());
        }
    }

    /** A new topic whose dead-letter topic takes records of at most {@link #SMALL_DEAD_LETTER_LIMIT_BYTES}. */
    private static String topicWithASmallDeadLetterTopic() {
        String topic = TestKafka.newTopic(1);
        KafkaTopics.ensureWithBrokerDefaults(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()),
                topic + IngestConfig.DLQ_SUFFIX,
                Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(SMALL_DEAD_LETTER_LIMIT_BYTES)));
        return topic;
    }

    /**
     * Ingests {@code topic}'s two records, a malformed one then u1's event "a": ingestion goes on past the first, which
     * is rejected and counted, and the one dead letter it made is returned.
     */
    private ConsumerRecord<byte[], byte[]> theDeadLetterOfABadRecordBeforeEventA(String topic) throws Exception {
        try (RocksSequenceStore store = RocksSequenceStore.open(dir, StoreConfig.defaults());
             InteractionIngestor ingestor = new InteractionIngestor(IngestConfig.of(TestKafka.bootstrap(), topic), store)) {
            ingestor.start();
            TestKafka.await("2 events consumed and counted, or a failure", TIMEOUT, () -> ingestor.failure() != null
                    || store.storedOffset(topic, 0).orElse(0) == 2 && counted(ingestor) >= 2);
            assertNull(ingestor.failure());
            assertEquals(List.of("a"), store.recentItems("u1", 10));
            assertEquals(1, ingestor.metrics().rejected());
        }
        List<ConsumerRecord<byte[], byte[]>> deadLetters = TestKafka.readAll(topic + IngestConfig.DLQ_SUFFIX, TIMEOUT);
        assertEquals(1, deadLetters.size());
        return deadLetters.get(0);
    }

    /** A user id that Kafka's default partitioner puts on {@code partition} of {@code count}. */
    private static String userOfPartition(int partition, int count) {
        for (int i = 0; ; i++) {
            String user = "u" + i;
            if (InteractionIngestor.userPartition(user.getBytes(StandardCharsets.UTF_8), count) == partition) {
                return user;
            }
        }
    }

    @Test
    void aDeadLetterTooLargeForTheDeadLetterTopicGoesWithoutItsValueAndWithItsSize() throws Exception {
        String topic = topicWithASmallDeadLetterTopic();
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            TestKafka.send(producer, topic, "u1", "x".repeat(TOO_LARGE_VALUE_BYTES));
            TestKafka.sendEvent(producer, topic, "u1", "a");
        }
        ConsumerRecord<byte[], byte[]> deadLetter = theDeadLetterOfABadRecordBeforeEventA(topic);
        assertNull(deadLetter.value());
        assertEquals(Integer.toString(TOO_LARGE_VALUE_BYTES), new String(
                deadLetter.headers().lastHeader(InteractionIngestor.TRUNCATED_HEADER).value(), StandardCharsets.UTF_8));
        assertTrue(new String(deadLetter.headers().lastHeader(InteractionIngestor.REASON_HEADER).value(),
                StandardCharsets.UTF_8).startsWith("not valid JSON: "));
    }

    @Test
    void theDeadLetterOfARecordWithoutATimestampHasNoSourceTimestampHeader() {
        // A record of an old message format without a time, which today's producers cannot write
        ConsumerRecord<byte[], byte[]> record =
                new ConsumerRecord<>("t", 0, 0L, null, "not json".getBytes(StandardCharsets.UTF_8));
        assertEquals(ConsumerRecord.NO_TIMESTAMP, record.timestamp());
        ProducerRecord<byte[], byte[]> deadLetter = InteractionIngestor.deadLetter("t.dlq", record, "not valid JSON").record();
        assertNull(deadLetter.timestamp());
        assertNull(deadLetter.headers().lastHeader(InteractionIngestor.SOURCE_TIMESTAMP_HEADER));
    }

    @Test
    void aDeadLetterOfAnOldRecordIsSentAtTheCurrentTimeWithTheRecordsTimeInAHeader() throws Exception {
        // Time-based retention goes by record times: a dead letter sent with its source's 8-day-old time would be
        // deleted from a dead-letter topic with the default 7-day retention as soon as it was written
        String topic = TestKafka.newTopic(1);
        long eightDaysAgo = System.currentTimeMillis() - Duration.ofDays(8).toMillis();
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            producer.send(new ProducerRecord<>(topic, 0, eightDaysAgo, "u1".getBytes(StandardCharsets.UTF_8),
                    "not json".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(topic, 0, eightDaysAgo, "u1".getBytes(StandardCharsets.UTF_8),
                    InteractionEventCodec.encode(Interaction.of("u1", "a"))));
        }
        long ingestStart = System.currentTimeMillis();
        try (RocksSequenceStore store = RocksSequenceStore.open(dir, StoreConfig.defaults());
             InteractionIngestor ingestor = new InteractionIngestor(IngestConfig.of(TestKafka.bootstrap(), topic), store)) {
            ingestor.start();
            TestKafka.await("2 events consumed", TIMEOUT, () -> store.storedOffset(topic, 0).orElse(0) == 2);
            assertNull(ingestor.failure());
        }
        List<ConsumerRecord<byte[], byte[]>> deadLetters = TestKafka.readAll(topic + IngestConfig.DLQ_SUFFIX, TIMEOUT);
        assertEquals(1, deadLetters.size());
        ConsumerRecord<byte[], byte[]> deadLetter = deadLetters.get(0);
        assertTrue(deadLetter.timestamp() >= ingestStart, "sent at " + deadLetter.timestamp() + ", ingest started at "
                + ingestStart + ", the record's time is " + eightDaysAgo);
        assertEquals(Long.toString(eightDaysAgo), header(deadLetter, InteractionIngestor.SOURCE_TIMESTAMP_HEADER));
        assertEquals("not json", new String(deadLetter.value(), StandardCharsets.UTF_8));
    }

    @Test
    void aMalformedRecordWhoseKeyAloneIsTooLargeForTheDeadLetterTopicGoesWithoutKeyAndValueAndIngestionGoesOn()
            throws Exception {
        String topic = topicWithASmallDeadLetterTopic();
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            TestKafka.send(producer, topic, "k".repeat(TOO_LARGE_VALUE_BYTES), "{}");
            TestKafka.sendEvent(producer, topic, "u1", "a");
        }
        ConsumerRecord<byte[], byte[]> deadLetter = theDeadLetterOfABadRecordBeforeEventA(topic);
        assertNull(deadLetter.key());
        assertNull(deadLetter.value());
        assertEquals("2", header(deadLetter, InteractionIngestor.TRUNCATED_HEADER));
        assertEquals(Integer.toString(TOO_LARGE_VALUE_BYTES), header(deadLetter, InteractionIngestor.TRUNCATED_KEY_HEADER));
        assertEquals("missing \"user\"", header(deadLetter, InteractionIngestor.REASON_HEADER));
        assertEquals("0", header(deadLetter, InteractionIngestor.SOURCE_OFFSET_HEADER));
    }

    @Test
    void aDeadLetterTooLargeEvenWithoutKeyAndValueGoesWithoutTheSourceRecordsHeaders() throws Exception {
        String topic = topicWithASmallDeadLetterTopic();
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, "u1".getBytes(StandardCharsets.UTF_8),
                    "not json".getBytes(StandardCharsets.UTF_8));
            record.headers().add("trace", new byte[TOO_LARGE_VALUE_BYTES]);
            producer.send(record);
            TestKafka.sendEvent(producer, topic, "u1", "a");
        }
        ConsumerRecord<byte[], byte[]> deadLetter = theDeadLetterOfABadRecordBeforeEventA(topic);
        assertNull(deadLetter.headers().lastHeader("trace"));
        assertEquals(Integer.toString("trace".length() + TOO_LARGE_VALUE_BYTES),
                header(deadLetter, InteractionIngestor.TRUNCATED_HEADERS_HEADER));
        assertEquals("2", header(deadLetter, InteractionIngestor.TRUNCATED_KEY_HEADER));
        assertTrue(header(deadLetter, InteractionIngestor.REASON_HEADER).startsWith("not valid JSON: "));
    }

    @Test
    void theMetricsLineCountsItemsUnknownToTheModelOnlyWhenThereIsAModel() throws Exception {
        String topic = TestKafka.newTopic(1);
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            TestKafka.sendEvent(producer, topic, "u1", "a");
            TestKafka.sendEvent(producer, topic, "u1", "b");
        }
        IngestConfig config = IngestConfig.of(TestKafka.bootstrap(), topic).withMetricsLogInterval(Duration.ofMillis(50));
        IdMapping model = new IdMapping();
        model.getOrAdd("a");
        assertMetricsLineOnceBothAreStored("ingest " + topic + ": 2 events stored", config, null, dir.resolve("a"));
        assertMetricsLineOnceBothAreStored("ingest " + topic + ": 2 events stored, 1 with items unknown to the model",
                config, model, dir.resolve("b"));
    }

    /** Waits for a metrics line that reads {@code expected} once the rates and the usual counts are left out. */
    private static void assertMetricsLineOnceBothAreStored(String expected, IngestConfig config, IdMapping model,
                                                           Path storeDir) throws Exception {
        Logger logger = Logger.getLogger(InteractionIngestor.class.getName());
        Queue<String> lines = new ConcurrentLinkedQueue<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                // "ingest t: 2 events stored (0/s), lag 0, 0 rejected to t.dlq[, 1 with items ...], 1 partitions"
                lines.add(record.getMessage().replaceAll(" \\(.*/s\\), lag [^,]+, [0-9]+ rejected to [^,]+", "")
                        .replaceAll(", [0-9]+ partitions$", ""));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try (RocksSequenceStore store = RocksSequenceStore.open(storeDir, StoreConfig.defaults());
             InteractionIngestor ingestor = new InteractionIngestor(config, store)) {
            ingestor.setModelVocabulary(model);
            ingestor.start();
            TestKafka.await("both events stored", TIMEOUT, () -> store.counts().events() == 2);
            try {
                TestKafka.await("the line '" + expected + "'", TIMEOUT, () -> lines.contains(expected));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; logged: " + lines, e);
            }
        } finally {
            logger.removeHandler(handler);
        }
    }

    /**
     * Records the ingestor has counted, stored or rejected: its metrics are updated just after the store, so a test
     * that reads them waits for them as well.
     */
    private static long counted(InteractionIngestor ingestor) {
        return ingestor.metrics().events() + ingestor.metrics().rejected();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
