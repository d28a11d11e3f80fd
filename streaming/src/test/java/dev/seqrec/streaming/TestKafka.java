package dev.seqrec.streaming;

import dev.seqrec.report.DirectoryTree;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One real in-process broker shared by the test classes of the JVM that declare {@code @ExtendWith(TestKafka.class)}:
 * started by the first test that needs it (it takes seconds: once is enough), stopped and its directory deleted once
 * every test has run. Plus small client helpers.
 */
final class TestKafka implements BeforeAllCallback {
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    /** The root context's store, which closes what it holds once every test of the JVM has run. */
    private static volatile ExtensionContext.Store runStore;

    @Override
    public void beforeAll(ExtensionContext context) {
        runStore = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
    }

    static String bootstrap() {
        ExtensionContext.Store store = runStore;
        if (store == null) {
            throw new IllegalStateException("a test class that uses the broker needs @ExtendWith(TestKafka.class)");
        }
        return store.getOrComputeIfAbsent(SharedBroker.class, key -> SharedBroker.start(), SharedBroker.class)
                .broker().bootstrapServers();
    }

    private record SharedBroker(Path dir, LocalKafkaBroker broker) implements ExtensionContext.Store.CloseableResource {
        static SharedBroker start() {
            try {
                Path dir = Files.createTempDirectory("seqrec-test-broker");
                return new SharedBroker(dir, LocalKafkaBroker.start(BrokerConfig.onFreePort(dir)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            broker.close();
            DirectoryTree.delete(dir);
        }
    }

    /** A new topic with a unique name, so tests never see each other's events. */
    static String newTopic(int partitions) {
        String topic = "t-" + UUID.randomUUID();
        KafkaTopics.ensure(bootstrap(), topic, partitions, (short) 1);
        return topic;
    }

    static boolean topicExists(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            return admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).contains(topic);
        }
    }

    static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }

    static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, String value) {
        producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8)));
    }

    static void sendEvent(KafkaProducer<byte[], byte[]> producer, String topic, String user, String item) {
        producer.send(new ProducerRecord<>(topic, user.getBytes(StandardCharsets.UTF_8),
                InteractionEventCodec.encode(Interaction.of(user, item))));
    }

    /**
     * Every record of the topic (all partitions), read up to the end offsets it has now: call it once whatever wrote
     * them has flushed or closed, so that a duplicate shows in the count.
     */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, Duration timeout) throws InterruptedException {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions(consumer, topic), timeout);
            consumer.assign(ends.keySet());
            consumer.seekToBeginning(ends.keySet());
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            await("every record of " + topic + " up to " + ends, timeout, () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
            });
            return records;
        }
    }

    /** The topic's end offsets now. */
    static Map<TopicPartition, Long> endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            return consumer.endOffsets(partitions(consumer, topic), ADMIN_TIMEOUT);
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        return consumer.partitionsFor(topic, ADMIN_TIMEOUT).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
