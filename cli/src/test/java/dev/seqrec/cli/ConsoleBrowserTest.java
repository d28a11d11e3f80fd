package dev.seqrec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqrec.eval.data.IdMapping;
import dev.seqrec.recommender.model.CheckpointLoader;
import dev.seqrec.recommender.service.SeqrecService;
import dev.seqrec.streaming.BrokerConfig;
import dev.seqrec.streaming.Interaction;
import dev.seqrec.streaming.InteractionEventCodec;
import dev.seqrec.streaming.KafkaTopics;
import dev.seqrec.streaming.LocalKafkaBroker;
import dev.seqrec.trainer.checkpoint.Checkpoint;
import dev.seqrec.trainer.checkpoint.ModelKind;
import dev.seqrec.trainer.checkpoint.Provenance;
import dev.seqrec.trainer.model.EncoderConfig;
import dev.seqrec.trainer.model.EncoderWeights;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Headless Chromium drives the console served by the real service, with a real broker, a real store and a small
 * model: it asks for a user's recommendations, sends an interaction through Kafka and sees the list change.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {
    static final Path SCREENSHOT = Path.of("target", "console-screenshot.png");
    private static final String TOPIC = "interactions";
    private static final String USER = "alice";
    private static final List<String> HISTORY = List.of("i1", "i2", "i3");
    private static final int ITEMS = 30;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private LocalKafkaBroker broker;
    private SeqrecService service;
    private HeadlessChromium browser;
    private String console;

    @BeforeAll
    void startEverything() throws Exception {
        // Fails rather than skips: a green run must have driven the console in a browser.
        assertTrue(HeadlessChromium.installed(), "chromium and chromium-driver are not installed (bin/test installs them)");
        broker = LocalKafkaBroker.start(BrokerConfig.onFreePort(dir.resolve("kafka")));
        KafkaTopics.ensure(broker.bootstrapServers(), TOPIC, 1, (short) 1);
        produce(HISTORY);
        Path model = dir.resolve("training").resolve("best");
        smallModel().save(model);
        Files.writeString(model.resolveSibling(CheckpointLoader.TRAINING_CURVE),
                "epoch,loss,valid_mrr@10\n1,3.1,0.10\n2,2.6,0.18\n3,2.4,0.21\n");
        service = SeqrecService.start(Map.of(
                "micronaut.server.port", -1, // a port the server binds itself, read back below
                "seqrec.serve.checkpoint", model.toString(),
                "seqrec.serve.store", dir.resolve("store").toString(),
                "seqrec.serve.bootstrap", broker.bootstrapServers(),
                "seqrec.serve.topic", TOPIC));
        console = "http://127.0.0.1:" + service.port() + "/";
        awaitHistory(HISTORY.size());
        browser = HeadlessChromium.start(dir.resolve("chromium-profile"), 1400, 900);
    }

    @AfterAll
    void stopEverything() throws Exception {
        try (AutoCloseable b = browser; AutoCloseable s = service; AutoCloseable k = broker) {
            // closed in reverse order: browser, service, broker
        }
    }

    /** A small SASRec over items i1..i30 whose card records test metrics next to the popularity baseline. */
    private static Checkpoint smallModel() {
        EncoderConfig config = new EncoderConfig(ITEMS, 16, 1, 1, 32, 10, 0.0, 0.0, 1e-12, 0.5);
        IdMapping items = new IdMapping();
        long[] counts = new long[ITEMS];
        for (int i = 1; i <= ITEMS; i++) {
            items.getOrAdd("i" + i);
            counts[i - 1] = ITEMS - i + 1;
        }
        Provenance provenance = new Provenance("train", "tiny.txt", "0".repeat(64), Map.of(), 3,
                Map.of("test_hr@10", 0.42, "test_ndcg@10", 0.25, "pop_test_hr@10", 0.20, "pop_test_ndcg@10", 0.09),
                "test", "test", Instant.now().toString());
        return Checkpoint.of(ModelKind.SASREC, config, EncoderWeights.initialise(config, 7, DataType.FLOAT), items,
                counts, provenance);
    }

    private void produce(List<String> items) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String item : items) {
                producer.send(new ProducerRecord<>(TOPIC, USER.getBytes(), InteractionEventCodec.encode(Interaction.of(USER, item))));
            }
        }
    }

    /** Waits until the service's store holds {@code length} items of the user's history. */
    private void awaitHistory(int length) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(console + "v1/users/" + USER + "/history")).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = new ObjectMapper().readTree(answer.body());
            if (body.path("items").size() >= length) {
                return;
            }
            assertTrue(Instant.now().isBefore(deadline), "the store did not receive the user's history: " + answer.body());
            Thread.sleep(200);
        }
    }

    private List<String> shownRecommendations() throws IOException, InterruptedException {
        browser.find("#recommendations li[data-item]", WAIT);
        return browser.texts("#recommendations li[data-item] .item").stream().map(text -> text.split("\\s+")[0]).toList();
    }

    private String textOf(String css) {
        try {
            return browser.text(browser.find(css, WAIT));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void sendingAnInteractionThroughKafkaChangesTheRecommendations() throws Exception {
        browser.open(console);
        browser.type(browser.find("#user-input", WAIT), USER);
        browser.click(browser.find("#load-user", WAIT));
        List<String> before = shownRecommendations();
        assertEquals(10, before.size());
        assertTrue(before.stream().noneMatch(HISTORY::contains), "items the user has seen are not recommended: " + before);
        assertEquals(HISTORY, browser.texts("#history li[data-item] .item"));

        String chosen = before.get(0);
        browser.click(browser.find("#recommendations li[data-item='" + chosen + "']", WAIT));
        browser.waitFor(() -> textOf("#status").contains("arrived") ? true : null, WAIT, "the event did not arrive");
        List<String> after = shownRecommendations();

        List<String> history = browser.texts("#history li[data-item] .item");
        assertEquals(chosen, history.get(history.size() - 1), "the new interaction ends the history");
        assertFalse(after.contains(chosen), "the item just seen is no longer recommended");
        assertNotEquals(before, after);
        String events = Integer.toString(HISTORY.size() + 1);
        browser.waitFor(() -> events.equals(textOf("#stat-events")) ? true : null, WAIT, "live figures count the new event");
        browser.screenshot(SCREENSHOT);
    }

    @Test
    void modelCardShowsTheMetricsAgainstTheBaselineAndTheTrainingCurve() throws Exception {
        browser.open(console);
        browser.find("#metrics-table td.ratio", WAIT);
        List<String> header = browser.texts("#metrics-table thead th");
        assertEquals(List.of("metric", "sasrec", "pop", "× pop"), header);
        assertEquals(List.of("test_hr@10", "0.4200", "0.2000", "2.10×"), browser.texts("#metrics-table tbody tr:first-child td"));
        assertEquals(2, browser.findAll("#training-chart polyline").size(), "loss and valid_mrr@10 are drawn");
    }
}
