package dev.seqrec.streaming;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two ingestors in one consumer group, each with its own store, through two rebalances (one joins, then leaves).
 * Each store holds, per user, an exact prefix of the user's events; their union holds every event; and the
 * instance that gets its partitions back resumes from its own stored offsets, not from the group's. Starting at
 * LATEST, an instance new to a partition starts where the group left off.
 */
@ExtendWith(TestKafka.class)
class RebalanceTest {
    private static final int PARTITIONS = 4;
    private static final int USERS = 40;
    private static final int EVENTS_PER_ROUND = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void unionOfTwoConsumersStoresHoldsEveryEventInOrderThroughRebalances() throws Exception {
        String topic = TestKafka.newTopic(PARTITIONS);
        IngestConfig config = IngestConfig.of(TestKafka.bootstrap(), topic).withGroupId("rebalance-" + topic);
        int[] produced = new int[USERS];
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer();
             RocksSequenceStore first = RocksSequenceStore.open(dir.resolve("first"), StoreConfig.defaults());
             RocksSequenceStore second = RocksSequenceStore.open(dir.resolve("second"), StoreConfig.defaults())) {
            produceRound(producer, topic, produced);
            try (InteractionIngestor one = new InteractionIngestor(config, first)) {
                one.start();
                awaitAllConsumed(topic, List.of(first));
                try (InteractionIngestor two = new InteractionIngestor(config, second)) {
                    two.start();
                    TestKafka.await("the partitions to be shared", TIMEOUT, () -> one.metrics().assignedPartitions() > 0
                            && two.metrics().assignedPartitions() > 0
                            && one.metrics().assignedPartitions() + two.metrics().assignedPartitions() == PARTITIONS);
                    produceRound(producer, topic, produced);
                    awaitAllConsumed(topic, List.of(first, second));
                }
                TestKafka.await("the first to own every partition", TIMEOUT,
                        () -> one.metrics().assignedPartitions() == PARTITIONS);
                produceRound(producer, topic, produced);
                awaitAllConsumed(topic, List.of(first));
            }
            assertTrue(second.counts().events() > 0, "the second consumer took part");
            for (int u = 0; u < USERS; u++) {
                List<String> expected = items(produced[u]);
                List<String> inFirst = first.recentItems("u" + u, Integer.MAX_VALUE);
                List<String> inSecond = second.recentItems("u" + u, Integer.MAX_VALUE);
                assertEquals(expected.subList(0, inFirst.size()), inFirst, "first store holds a prefix of u" + u);
                assertEquals(expected.subList(0, inSecond.size()), inSecond, "second store holds a prefix of u" + u);
                assertEquals(expected, inFirst.size() >= inSecond.size() ? inFirst : inSecond, "union for u" + u);
            }
        }
    }

    @Test
    void withLatestStartAnInstanceNewToAPartitionStartsWhereTheGroupLeftOffNotAtTheEnd() throws Exception {
        String topic = TestKafka.newTopic(1);
        IngestConfig config = IngestConfig.of(TestKafka.bootstrap(), topic).withGroupId("handover-" + topic)
                .withStartPosition(IngestConfig.StartPosition.LATEST);
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer();
             RocksSequenceStore first = RocksSequenceStore.open(dir.resolve("first"), StoreConfig.defaults());
             RocksSequenceStore second = RocksSequenceStore.open(dir.resolve("second"), StoreConfig.defaults())) {
            try (InteractionIngestor one = new InteractionIngestor(config, first)) {
                one.start();
                TestKafka.await("the first to start at the end", TIMEOUT, () -> first.storedOffset(topic, 0).isPresent());
                TestKafka.sendEvent(producer, topic, "u", "i0");
                producer.flush();
                TestKafka.await("the first event stored", TIMEOUT, () -> first.storedOffset(topic, 0).orElse(-1) == 1);
            }
            // Arrives after the first instance's last poll: the partition's next owner must store it.
            TestKafka.sendEvent(producer, topic, "u", "i1");
            producer.flush();
            try (InteractionIngestor two = new InteractionIngestor(config, second)) {
                two.start();
                TestKafka.await("the second to reach the end", TIMEOUT, () -> second.storedOffset(topic, 0).orElse(-1) == 2);
                assertEquals(List.of("i1"), second.recentItems("u", Integer.MAX_VALUE));
            }
        }
    }

    @Test
    void withLatestStartAnInstanceTakingOverFromOneKilledBeforeAnyEventStartsWhereThatOneStarted() throws Exception {
        String topic = TestKafka.newTopic(1);
        Path firstStore = dir.resolve("first");
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            for (String item : List.of("old1", "old2")) {
                TestKafka.sendEvent(producer, topic, "u", item); // before either instance: not theirs to store
            }
            producer.flush();
            // The first instance, in a process of its own, starts at the end and is killed before any event comes:
            // it never revokes the partition, so nothing but its assignment can have told the group where it started
            Process first = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), IngestChildProcess.class.getName(),
                    TestKafka.bootstrap(), topic, firstStore.toString(), "200", "5000", "latest")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("first.log").toFile()).start();
            try {
                TestKafka.await("the first instance to store its start", TIMEOUT,
                        () -> storedOffsetOf(firstStore, topic) == 2);
            } finally {
                first.destroyForcibly(); // SIGKILL
                first.waitFor();
            }
            for (String item : List.of("x", "y", "z")) {
                TestKafka.sendEvent(producer, topic, "u", item); // while the partition has no live owner
            }
            producer.flush();
        }
        // The next owner (the same static member id, so it takes the partition over at once) is new to it too
        IngestConfig config = IngestConfig.of(TestKafka.bootstrap(), topic)
                .withGroupId(IngestChildProcess.groupId(topic))
                .withConsumerOverrides(Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, IngestChildProcess.INSTANCE_ID))
                .withStartPosition(IngestConfig.StartPosition.LATEST);
        try (RocksSequenceStore second = RocksSequenceStore.open(dir.resolve("second"), StoreConfig.defaults());
             InteractionIngestor two = new InteractionIngestor(config, second)) {
            two.start();
            TestKafka.await("the second to reach the end", TIMEOUT, () -> second.storedOffset(topic, 0).orElse(-1) == 5);
            assertEquals(List.of("x", "y", "z"), second.recentItems("u", Integer.MAX_VALUE));
        }
    }

    /** The offset a store that another process may be writing holds for partition 0, or -1. */
    private static long storedOffsetOf(Path storeDir, String topic) {
        if (!Files.exists(storeDir.resolve("CURRENT"))) {
            return -1;
        }
        try (RocksSequenceStore store = RocksSequenceStore.openReadOnly(storeDir)) {
            return store.storedOffset(topic, 0).orElse(-1);
        } catch (IllegalStateException | IllegalArgumentException notReadyYet) {
            return -1;
        }
    }

    private static List<String> items(int count) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add("i" + i);
        }
        return items;
    }

    private static void produceRound(KafkaProducer<byte[], byte[]> producer, String topic, int[] produced) {
        for (int e = 0; e < EVENTS_PER_ROUND; e++) {
            for (int u = 0; u < USERS; u++) {
                TestKafka.sendEvent(producer, topic, "u" + u, "i" + produced[u]++);
            }
        }
        producer.flush();
    }

    /** Waits until, for every partition, one of the stores has stored the partition's end offset. */
    private static void awaitAllConsumed(String topic, List<RocksSequenceStore> stores) throws InterruptedException {
        Map<TopicPartition, Long> ends = TestKafka.endOffsets(topic);
        TestKafka.await("every partition consumed", TIMEOUT, () -> ends.entrySet().stream().allMatch(end ->
                stores.stream().anyMatch(s -> s.storedOffset(topic, end.getKey().partition()).orElse(-1) == end.getValue())));
    }
}
