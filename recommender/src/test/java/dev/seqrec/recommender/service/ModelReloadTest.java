package dev.seqrec.recommender.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqrec.recommender.Recommender;
import dev.seqrec.recommender.TestCheckpoints;
import dev.seqrec.trainer.checkpoint.Checkpoint;
import dev.seqrec.streaming.Interaction;
import dev.seqrec.streaming.RocksSequenceStore;
import dev.seqrec.streaming.StoreConfig;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Checkpoints swapped in through the admin endpoint; bad ones are refused while the old model serves on. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelReloadTest implements TestPropertyProvider {
    private static final String TOKEN = "s3cret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 4;
    private static final int RELOADS = 6;

    @Inject
    EmbeddedServer server;
    @Inject
    Recommender recommender;
    private Path first;
    private Path second;
    private Path corrupt;

    @Override
    public Map<String, String> getProperties() {
        try {
            Path dir = Files.createTempDirectory("seqrec-reload-test");
            first = TestCheckpoints.write(dir.resolve("first"), 1);
            second = TestCheckpoints.write(dir.resolve("second"), 2);
            corrupt = TestCheckpoints.write(dir.resolve("corrupt"), 3);
            Path weight = corrupt.resolve(Checkpoint.WEIGHTS_DIR).resolve("position_embedding.npy");
            byte[] bytes = Files.readAllBytes(weight);
            bytes[bytes.length - 1] ^= 0x55;
            Files.write(weight, bytes);
            Path store = dir.resolve("store");
            try (RocksSequenceStore writer = RocksSequenceStore.open(store, StoreConfig.defaults())) {
                writer.append(List.of(Interaction.of("alice", "i3"), Interaction.of("alice", "i7")));
            }
            return Map.of("micronaut.server.port", "-1",
                    "seqrec.serve.checkpoint", first.toString(),
                    "seqrec.serve.store", store.toString(),
                    "seqrec.serve.admin-token", TOKEN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String reloadBody(Path checkpoint) {
        return "{\"checkpoint\":\"" + checkpoint + "\"}";
    }

    @Test
    void reloadNeedsTheBearerToken() {
        HttpProbe http = new HttpProbe(server.getPort());
        assertEquals(401, http.post("/v1/admin/model", reloadBody(second)).status());
        HttpProbe.Answer wrong = http.post("/v1/admin/model", reloadBody(second), "guess");
        assertEquals(401, wrong.status());
        assertEquals("missing or wrong bearer token", wrong.json().get("message").asText());
    }

    @Test
    void aRefusedTokenIsChallengedWithTheBearerScheme() {
        HttpProbe.Answer wrong = new HttpProbe(server.getPort()).post("/v1/admin/model", reloadBody(second), "guess");
        assertEquals(401, wrong.status());
        assertEquals(List.of("Bearer"), wrong.response().headers().allValues("WWW-Authenticate"));
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() {
        HttpProbe.Answer answer = new HttpProbe(server.getPort()).postAuthorized("/v1/admin/model", reloadBody(corrupt),
                "bearer " + TOKEN);
        assertEquals(422, answer.status(), answer.body()); // authorized: it is the checkpoint that is refused
    }

    @Test
    void aCheckpointThatIsNotAJsonStringIs400NamingTheField() {
        HttpProbe http = new HttpProbe(server.getPort());
        for (String body : List.of("{\"checkpoint\":[\"" + second + "\"]}", "{\"checkpoint\":7}")) {
            HttpProbe.Answer answer = http.post("/v1/admin/model", body, TOKEN);
            assertEquals(400, answer.status(), body + " -> " + answer.body());
            assertTrue(answer.json().get("message").asText().contains("\"checkpoint\""), answer.body());
        }
    }

    @Test
    void aReloadAnswersTheModelNowServedTheOneItReplacedAndTheCheckpoint() throws Exception {
        String before = recommender.model().version();
        HttpProbe.Answer answer = new HttpProbe(server.getPort()).post("/v1/admin/model", reloadBody(second), TOKEN);
        assertEquals(200, answer.status(), answer.body());
        assertEquals(Map.of("modelVersion", Checkpoint.modelVersion(second), "previousVersion", before,
                "checkpoint", second.toString()), JSON.convertValue(answer.json(), Map.class));
    }

    @Test
    void aFieldOtherThanCheckpointIs400NamingItAndTheAcceptedOne() {
        HttpProbe.Answer answer = new HttpProbe(server.getPort()).post("/v1/admin/model",
                "{\"checkpiont\":\"" + second + "\"}", TOKEN);
        assertEquals(400, answer.status(), answer.body());
        assertEquals("unknown field \"checkpiont\"; the accepted fields are \"checkpoint\"",
                answer.json().get("message").asText());
    }

    /** The body is read before the token is checked: documented so in the OpenAPI document. */
    @Test
    void aBadBodyIs400EvenWithoutTheToken() {
        HttpProbe.Answer answer = new HttpProbe(server.getPort()).post("/v1/admin/model", "{\"checkpoint\":7}");
        assertEquals(400, answer.status(), answer.body());
    }

    @Test
    void aCorruptCheckpointIsRefusedAndTheOldModelKeepsServing() {
        HttpProbe http = new HttpProbe(server.getPort());
        String serving = recommender.model().version();
        HttpProbe.Answer answer = http.post("/v1/admin/model", reloadBody(corrupt), TOKEN);
        assertEquals(422, answer.status());
        assertTrue(answer.json().get("message").asText().contains("corrupt"), answer.body());
        HttpProbe.Answer after = http.get("/v1/users/alice/recommendations");
        assertEquals(200, after.status());
        assertEquals(serving, after.json().get("modelVersion").asText());
        assertEquals(422, http.post("/v1/admin/model", reloadBody(first.resolveSibling("missing")), TOKEN).status());
    }

    /**
     * Clients ask without pause while the model is swapped back and forth; each reload waits until a client has been
     * answered by the model it swapped in, so every version served is seen, on any machine.
     */
    @Test
    void reloadsUnderLoadLoseNoRequest() throws Exception {
        HttpProbe admin = new HttpProbe(server.getPort());
        Set<String> versions = Set.of(Checkpoint.modelVersion(first), Checkpoint.modelVersion(second));
        // served.get(g): the version served after g reloads (g = served.size() - 1 when a request is sent)
        List<String> served = new CopyOnWriteArrayList<>(List.of(recommender.model().version()));
        Set<Integer> answeredAfter = ConcurrentHashMap.newKeySet();
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Thread[] clients = new Thread[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            clients[c] = new Thread(() -> {
                HttpProbe http = new HttpProbe(server.getPort());
                while (running.get()) {
                    int reloads = served.size() - 1;
                    try {
                        HttpProbe.Answer answer = http.get("/v1/users/alice/recommendations?k=5");
                        String version = answer.status() == 200 ? answer.json().get("modelVersion").asText() : null;
                        if (version == null || !versions.contains(version)) {
                            failures.add(answer.status() + " " + answer.body());
                        } else if (version.equals(served.get(reloads))) {
                            answeredAfter.add(reloads);
                        }
                    } catch (Throwable e) { // a reset connection or a lost answer is what this test looks for
                        failures.add(e.toString());
                    }
                }
            });
            clients[c].start();
        }
        try {
            for (int i = 0; i < RELOADS; i++) {
                Path next = i % 2 == 0 ? second : first;
                HttpProbe.Answer swap = admin.post("/v1/admin/model", reloadBody(next), TOKEN);
                assertEquals(200, swap.status(), swap.body());
                assertEquals(Checkpoint.modelVersion(next), swap.json().get("modelVersion").asText());
                served.add(Checkpoint.modelVersion(next));
                int reloads = i + 1;
                Await.until(() -> answeredAfter.contains(reloads) || !failures.isEmpty(),
                        "no client was answered by the model of reload " + reloads);
            }
        } finally {
            running.set(false);
            for (Thread client : clients) {
                client.join();
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " failed requests, first: " + failures.peek());
        assertEquals(served.get(RELOADS),
                admin.get("/v1/users/alice/recommendations").json().get("modelVersion").asText());
    }
}
