package dev.seqrec.streaming;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.server.config.ServerLogConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InteractionIngestorTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Three zero bytes first: Jackson reads the value as UTF-32, and fails with an I/O error, not a parse error. */
    private static final String UTF_32_LOOKALIKE = "\u0000\u0000\u0000{}";
    /** A batch's own header (61 bytes) and, generously, a small record's framing and key. */
    private static final int RECORD_OVERHEAD_BYTES = 161;

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
            TestKafka.await("9 events consumed", TIMEOUT,
                    () -> store.storedOffset(topic, 0).orElse(0) == 9);
            assertEquals(List.of("a", "b"), store.recentItems("u1", 10));
            assertEquals(List.of("c", "d"), store.recentItems("u2", 10));
            assertEquals(new StoreCounts(2, 4, 4, 5), store.counts());
            assertEquals(5, ingestor.metrics().rejected());
            assertEquals(4, ingestor.metrics().events());
            assertNull(ingestor.failure());
        }
        Map<String, String> reasonByValue = TestKafka.readAll(topic + ".dlq", 5, TIMEOUT).stream().collect(Collectors.toMap(
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
            TestKafka.await("50 events stored", TIMEOUT, () -> store.counts().events() == 50);
            assertEquals(List.of("i0", "i5", "i10", "i15", "i20", "i25", "i30", "i35", "i40", "i45"),
                    store.recentItems("u0", 50));
            assertEquals(50, ingestor.metrics().events());
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
        IngestConfig config = IngestConfig.of("127.0.0.1:1", "t-nobody"); // nothing listens on port 1
        try (RocksSequenceStore store = RocksSequenceStore.open(dir, StoreConfig.defaults())) {
            InteractionIngestor ingestor = new InteractionIngestor(config, store);
            ingestor.start();
            Thread.sleep(500); // into the dead-letter topic's creation, which waits for a broker for 30 s
            long start = System.nanoTime();
            ingestor.close();
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 10, "close took " + seconds + " s");
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
        List<ConsumerRecord<byte[], byte[]>> deadLetters = TestKafka.readAll(topic + IngestConfig.DLQ_SUFFIX, 1, TIMEOUT);
        assertEquals(1, deadLetters.size());
        assertEquals(value, new String(deadLetters.get(0).value(), StandardCharsets.UTF_8));
    }
}
