package dev.seqrec.recommender.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seqrec.recommender.TrainedCheckpoint;
import dev.seqrec.streaming.BrokerConfig;
import dev.seqrec.streaming.Interaction;
import dev.seqrec.streaming.InteractionEventCodec;
import dev.seqrec.streaming.KafkaTopics;
import dev.seqrec.streaming.LocalKafkaBroker;
import dev.seqrec.streaming.MalformedEventException;
import dev.seqrec.streaming.RocksSequenceStore;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** With a broker the consumer runs inside the service: an event sent now changes the user's next answer. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestionHttpTest implements TestPropertyProvider {
    /** Only against a hang: how long a read from the broker may wait. */
    private static final Duration BROKER_GUARD = Duration.ofSeconds(60);
    /** Not StoreConfig's default, so the test shows the setting reaching the store. */
    private static final int MAX_LENGTH = 1000;
    /**
     * One partition, made before the service starts: an event's offset then says how many were produced before it,
     * and every valid event posted in this class is on the topic exactly once.
     */
    private static final String TOPIC = "interactions-test";

    @Inject
    EmbeddedServer server;
    @Inject
    RocksSequenceStore store;
    private String bootstrap;

    @Override
    public Map<String, String> getProperties() {
        try {
            Path dir = Files.createTempDirectory("seqrec-ingestion-test");
            LocalKafkaBroker broker = LocalKafkaBroker.start(BrokerConfig.onFreePort(dir.resolve("broker")));
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
            bootstrap = broker.bootstrapServers();
            KafkaTopics.ensure(bootstrap, TOPIC, 1, (short) 1);
            return Map.of("micronaut.server.port", "-1",
                    "seqrec.serve.checkpoint", TrainedCheckpoint.directory().toString(),
                    "seqrec.serve.store", dir.resolve("store").toString(),
                    "seqrec.serve.bootstrap", broker.bootstrapServers(),
                    "seqrec.serve.topic", TOPIC,
                    "seqrec.serve.max-length", String.valueOf(MAX_LENGTH));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The model was trained on "item i is followed by item i % 12 + 1". */
    @Test
    void eventsThroughKafkaChangeTheUsersNextAnswer() throws InterruptedException {
        HttpProbe http = new HttpProbe(server.getPort());
        JsonNode before = http.get("/v1/users/dave/recommendations?k=3").json();
        assertEquals("popularity", before.get("fallback").asText());

        for (String item : List.of("3", "4", "5")) {
            assertEquals(202, http.post("/v1/events", "{\"user\":\"dave\",\"item\":\"" + item + "\",\"type\":\"view\"}")
                    .status());
        }
        awaitHistoryLength(http, "dave", 3);
        JsonNode first = http.get("/v1/users/dave/recommendations?k=3").json();
        assertTrue(first.get("fallback").isNull(), first.toString());
        assertEquals("6", first.get("items").get(0).get("item").asText(), first.toString());

        for (String item : List.of("6", "7")) {
            assertEquals(202, http.post("/v1/events", "{\"user\":\"dave\",\"item\":\"" + item + "\"}").status());
        }
        awaitHistoryLength(http, "dave", 5);
        JsonNode second = http.get("/v1/users/dave/recommendations?k=3").json();
        assertEquals("8", second.get("items").get(0).get("item").asText(), second.toString());
        assertNotEquals(first.get("items"), second.get("items"));
    }

    /** Every event on the topic (earlier tests' too) is counted once it is stored, and once only. */
    @Test
    void statsCountEveryEventStored() throws InterruptedException {
        HttpProbe http = new HttpProbe(server.getPort());
        long onTheTopic = 0;
        for (String item : List.of("1", "2", "3")) {
            HttpProbe.Answer answer = http.post("/v1/events", "{\"user\":\"kate\",\"item\":\"" + item + "\"}");
            assertEquals(202, answer.status(), answer.body());
            onTheTopic = answer.json().get("offset").asLong() + 1;
        }
        long produced = onTheTopic;
        Await.until(() -> ingestion(http).get("events").asLong() >= produced, "not all " + produced + " events counted");
        JsonNode stats = ingestion(http);
        assertEquals(produced, stats.get("events").asLong());
        assertTrue(stats.get("running").asBoolean());
    }

    private static JsonNode ingestion(HttpProbe http) {
        return http.get("/v1/stats").json().get("ingestion");
    }

    @Test
    void malformedEventsAre400AndNotProduced() {
        HttpProbe http = new HttpProbe(server.getPort());
        long end = endOffset();
        HttpProbe.Answer noItem = http.post("/v1/events", "{\"user\":\"erin\"}");
        assertEquals(400, noItem.status());
        assertTrue(noItem.json().get("message").asText().contains("\"item\""), noItem.body());
        assertEquals(400, http.post("/v1/events", "{\"user\":\"erin\",\"item\":\"a b\"}").status());
        // Acknowledged, so produced after anything the refused ones might have sent on (same producer and partition)
        HttpProbe.Answer valid = http.post("/v1/events", "{\"user\":\"erin\",\"item\":\"1\"}");
        assertEquals(202, valid.status(), valid.body());
        assertEquals(end, valid.json().get("offset").asLong(), "the refused events took offsets on the topic");
    }

    private long endOffset() {
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            return consumer.endOffsets(List.of(partition), BROKER_GUARD).get(partition);
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
    }

    /** A misspelt field is refused, not dropped: {@code "tpye"} would otherwise store the event without its type. */
    @Test
    void aFieldOutsideTheEventFormatIs400NamingItAndListingTheFormatsFields() {
        HttpProbe.Answer answer = new HttpProbe(server.getPort()).post("/v1/events",
                "{\"user\":\"erin\",\"item\":\"1\",\"tpye\":\"view\"}");
        assertEquals(400, answer.status(), answer.body());
        assertEquals("unknown field \"tpye\"; the accepted fields are \"user\", \"item\", \"ts\", \"type\"",
                answer.json().get("message").asText());
    }

    /** The body is the topic's event format: a given ts is the event's time on the topic, as the codec reads it. */
    @Test
    void aPostedTsIsTheEventsTimeOnTheTopic() {
        long ts = 1_732_440_000_000L;
        HttpProbe.Answer answer = new HttpProbe(server.getPort()).post("/v1/events",
                "{\"user\":\"hank\",\"item\":\"2\",\"ts\":" + ts + "}");
        assertEquals(202, answer.status(), answer.body());
        JsonNode published = answer.json();
        TopicPartition partition = new TopicPartition(published.get("topic").asText(),
                published.get("partition").asInt());
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, published.get("offset").asLong());
            ConsumerRecord<byte[], byte[]> record = consumer.poll(BROKER_GUARD).iterator().next();
            Interaction event = new InteractionEventCodec(InteractionEventCodec.DEFAULT_MAX_ID_BYTES)
                    .decode(record.key(), record.value(), record.timestamp());
            assertEquals(new Interaction("hank", "2", ts, null), event);
        } catch (MalformedEventException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aTsThatIsNotAPositiveWholeNumberIs400NamingIt() {
        HttpProbe http = new HttpProbe(server.getPort());
        for (String ts : List.of("0", "-1", "1.5", "\"1732440000000\"", "1e12", "99999999999999999999")) {
            HttpProbe.Answer answer = http.post("/v1/events", "{\"user\":\"ivy\",\"item\":\"2\",\"ts\":" + ts + "}");
            assertEquals(400, answer.status(), ts + " -> " + answer.body());
            assertTrue(answer.json().get("message").asText().contains("\"ts\""), ts + " -> " + answer.body());
        }
    }

    @Test
    void idsGivenAsJsonNumbersAre400NamingTheField() {
        HttpProbe http = new HttpProbe(server.getPort());
        HttpProbe.Answer numbers = http.post("/v1/events", "{\"user\":5,\"item\":\"6\"}");
        assertEquals(400, numbers.status(), numbers.body());
        assertTrue(numbers.json().get("message").asText().contains("\"user\""), numbers.body());
        HttpProbe.Answer type = http.post("/v1/events", "{\"user\":\"5\",\"item\":\"6\",\"type\":true}");
        assertEquals(400, type.status(), type.body());
        assertTrue(type.json().get("message").asText().contains("\"type\""), type.body());
    }

    @Test
    void aBodyOfJsonNullIs400() {
        HttpProbe.Answer answer = new HttpProbe(server.getPort()).post("/v1/events", "null");
        assertEquals(400, answer.status(), answer.body());
    }

    @Test
    void anIdOverTheByteLimitIs400ThoughItHasFewerCharacters() {
        String user = "\u6f22".repeat(100); // 100 characters, 300 UTF-8 bytes; the limit is 256 bytes
        HttpProbe.Answer answer = new HttpProbe(server.getPort()).post("/v1/events",
                "{\"user\":\"" + user + "\",\"item\":\"1\"}");
        assertEquals(400, answer.status(), answer.body());
        assertTrue(answer.json().get("message").asText().contains("256 bytes"), answer.body());
    }

    @Test
    void aControlCharacterInAnIdIs400() {
        HttpProbe.Answer answer = new HttpProbe(server.getPort()).post("/v1/events",
                "{\"user\":\"frank\",\"item\":\"a\\u0001b\"}");
        assertEquals(400, answer.status(), answer.body());
        assertTrue(answer.json().get("message").asText().contains("\"item\""), answer.body());
    }

    /** The topic's format allows spaces in a type (only ids are space-separated in exports). */
    @Test
    void aTypeWithASpaceIsAcceptedAndStored() throws InterruptedException {
        HttpProbe http = new HttpProbe(server.getPort());
        HttpProbe.Answer answer = http.post("/v1/events",
                "{\"user\":\"gina\",\"item\":\"2\",\"type\":\"add to cart\"}");
        assertEquals(202, answer.status(), answer.body());
        awaitHistoryLength(http, "gina", 1); // stored, so the consumer did not dead-letter it
    }

    @Test
    void theStoreKeepsTheConfiguredNumberOfItemsPerUser() {
        assertEquals(MAX_LENGTH, store.maxSequenceLength());
    }

    private static void awaitHistoryLength(HttpProbe http, String user, int length) throws InterruptedException {
        Await.until(() -> http.get("/v1/users/" + user + "/history").json().get("items").size() >= length,
                user + "'s events did not reach the store");
    }
}
