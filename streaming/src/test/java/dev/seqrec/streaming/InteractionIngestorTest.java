package dev.seqrec.streaming;

import org.apache.kafka.clients.producer.KafkaProducer;
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
        }
        try (RocksSequenceStore store = RocksSequenceStore.open(dir, StoreConfig.defaults());
             InteractionIngestor ingestor = new InteractionIngestor(IngestConfig.of(TestKafka.bootstrap(), topic), store)) {
            ingestor.start();
            TestKafka.await("7 events consumed", TIMEOUT,
                    () -> store.storedOffset(topic, 0).orElse(0) == 7);
            assertEquals(List.of("a", "b"), store.recentItems("u1", 10));
            assertEquals(List.of("c"), store.recentItems("u2", 10));
            assertEquals(new StoreCounts(2, 3, 3, 4), store.counts());
            assertEquals(4, ingestor.metrics().rejected());
            assertEquals(3, ingestor.metrics().events());
            assertNull(ingestor.failure());
        }
        Map<String, String> reasonByValue = TestKafka.readAll(topic + ".dlq", 4, TIMEOUT).stream().collect(Collectors.toMap(
                r -> new String(r.value(), StandardCharsets.UTF_8),
                r -> new String(r.headers().lastHeader(InteractionIngestor.REASON_HEADER).value(), StandardCharsets.UTF_8)));
        assertTrue(reasonByValue.remove("not json").startsWith("not valid JSON: Unrecognized token 'not'"));
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
}
