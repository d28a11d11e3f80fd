package dev.seqrec.recommender.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seqrec.recommender.TestCheckpoints;
import dev.seqrec.streaming.BrokerConfig;
import dev.seqrec.streaming.IngestConfig;
import dev.seqrec.streaming.InteractionEventCodec;
import dev.seqrec.streaming.Interaction;
import dev.seqrec.streaming.InteractionIngestor;
import dev.seqrec.streaming.KafkaTopics;
import dev.seqrec.streaming.LocalKafkaBroker;
import dev.seqrec.streaming.RocksSequenceStore;
import dev.seqrec.streaming.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-service consumer's group ({@code seqrec.serve.group}): a service ingesting a topic must not share the
 * partitions with a {@code seqrec ingest} beside it, which would leave each with part of the users.
 */
class ServeConsumerGroupTest {
    private static final String TOPIC = "group-test";
    private static final int PARTITIONS = 3;
    private static final int USERS = 30;

    @TempDir
    static Path brokerDir;
    private static LocalKafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = LocalKafkaBroker.start(BrokerConfig.onFreePort(brokerDir));
        KafkaTopics.ensure(broker.bootstrapServers(), TOPIC, PARTITIONS, (short) 1);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private Map<String, Object> ingestingService(Map<String, Object> more) {
        Map<String, Object> properties = new HashMap<>(Map.of("micronaut.server.port", "-1",
                "seqrec.serve.checkpoint", TestCheckpoints.write(dir.resolve("ckpt"), 1).toString(),
                "seqrec.serve.store", dir.resolve("service-store").toString(),
                "seqrec.serve.bootstrap", broker.bootstrapServers(),
                "seqrec.serve.topic", TOPIC));
        properties.putAll(more);
        return properties;
    }

    @Test
    void aServiceAndAStandaloneIngestOnTheDefaultsEachStoreEveryUser() throws Exception {
        try (RocksSequenceStore standaloneStore = RocksSequenceStore.open(dir.resolve("ingest-store"),
                StoreConfig.defaults());
             InteractionIngestor standalone = new InteractionIngestor(
                     IngestConfig.of(broker.bootstrapServers(), TOPIC), standaloneStore);
             SeqrecService service = SeqrecService.start(ingestingService(Map.of()))) {
            standalone.start();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
                for (int u = 0; u < USERS; u++) {
                    Interaction event = new Interaction("u-" + u, "i1", System.currentTimeMillis(), "view");
                    producer.send(new ProducerRecord<>(TOPIC, event.user().getBytes(StandardCharsets.UTF_8),
                            InteractionEventCodec.encode(event)));
                }
            }
            RocksSequenceStore serviceStore = service.context().getBean(RocksSequenceStore.class);
            Await.until(() -> serviceStore.counts().users() == USERS && standaloneStore.counts().users() == USERS,
                    "the service and the standalone ingest have not both stored all " + USERS + " users");
        }
    }

    @Test
    void theGroupAndInstanceIdReachTheInServiceConsumer() {
        try (SeqrecService service = SeqrecService.start(ingestingService(Map.of(
                "seqrec.serve.group", "replica-2", "seqrec.serve.instance-id", "host-2")))) {
            IngestConfig ingest = service.context().getBean(ServeConfig.class).ingestConfig();
            assertEquals("replica-2", ingest.groupId());
            assertEquals("host-2", ingest.consumerOverrides().get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
        }
    }
}
