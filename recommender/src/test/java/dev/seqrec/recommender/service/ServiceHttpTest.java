package dev.seqrec.recommender.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seqrec.recommender.Recommendation;
import dev.seqrec.recommender.RecommendationFilters;
import dev.seqrec.recommender.Recommender;
import dev.seqrec.recommender.TestCheckpoints;
import dev.seqrec.recommender.model.ScoredItem;
import dev.seqrec.streaming.Interaction;
import dev.seqrec.streaming.RocksSequenceStore;
import dev.seqrec.streaming.StoreConfig;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The service over a real RocksDB store (written before start, followed as a secondary) and a small checkpoint. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceHttpTest implements TestPropertyProvider {
    /** Users whose ids need care in a path: a '+' (a space to form decoding) and a non-ASCII letter. */
    private static final String PLUS_USER = "a+b";
    private static final String ACCENTED_USER = "zo\u00eb";
    private static final List<Interaction> STORED = List.of(Interaction.of("alice", "i3"),
            Interaction.of("alice", "i7"), Interaction.of("carol", "unknown-item"), Interaction.of(PLUS_USER, "i5"),
            Interaction.of(ACCENTED_USER, "i9"));

    @Inject
    EmbeddedServer server;
    @Inject
    Recommender recommender;
    private HttpProbe http;

    @Override
    public Map<String, String> getProperties() {
        try {
            Path dir = Files.createTempDirectory("seqrec-service-test");
            Path store = dir.resolve("store");
            try (RocksSequenceStore writer = RocksSequenceStore.open(store, StoreConfig.defaults())) {
                writer.append(STORED);
            }
            return Map.of("micronaut.server.port", "-1",
                    "seqrec.serve.checkpoint", TestCheckpoints.write(dir.resolve("ckpt"), 1).toString(),
                    "seqrec.serve.store", store.toString(),
                    "seqrec.serve.max-body-bytes", "2048");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void client() {
        http = new HttpProbe(server.getPort());
    }

    private static List<String> items(JsonNode answer) {
        List<String> items = new ArrayList<>();
        answer.get("items").forEach(item -> items.add(item.get("item").asText()));
        return items;
    }

    @Test
    void userRecommendationsComeFromTheUsersStoredSequence() {
        HttpProbe.Answer answer = http.get("/v1/users/alice/recommendations?k=5");
        assertEquals(200, answer.status(), answer.body());
        JsonNode json = answer.json();
        Recommendation expected = recommender.recommend(List.of("i3", "i7"), 5, RecommendationFilters.NONE);
        assertEquals(expected.items().stream().map(ScoredItem::item).toList(), items(json));
        assertEquals(expected.items().get(0).score(), json.get("items").get(0).get("score").floatValue(), 1e-6);
        assertTrue(json.get("fallback").isNull());
        assertEquals(recommender.model().version(), json.get("modelVersion").asText());
    }

    @Test
    void unknownUsersAndUsersWithOnlyUnknownItemsGetPopularItems() {
        JsonNode stranger = http.get("/v1/users/stranger/recommendations?k=3").json();
        assertEquals("popularity", stranger.get("fallback").asText());
        assertEquals(List.of("i1", "i2", "i3"), items(stranger));
        JsonNode carol = http.get("/v1/users/carol/recommendations?k=3").json();
        assertEquals("popularity", carol.get("fallback").asText());
        assertEquals("unknown-item", carol.get("unknownItems").get(0).asText());
    }

    @Test
    void excludeSeenAndExcludeParametersFilterTheAnswer() {
        List<String> all = items(http.get("/v1/users/alice/recommendations?k=30").json());
        List<String> filtered = items(http.get("/v1/users/alice/recommendations?k=30&excludeSeen=true&exclude=i1,i2")
                .json());
        List<String> expected = new ArrayList<>(all);
        expected.removeAll(List.of("i3", "i7", "i1", "i2"));
        assertEquals(expected, filtered);
    }

    @Test
    void postedHistoriesSkipAndListUnknownItems() {
        HttpProbe.Answer answer = http.post("/v1/recommendations", "{\"items\":[\"i3\",\"zzz\",\"i7\"],\"k\":4}");
        assertEquals(200, answer.status(), answer.body());
        JsonNode json = answer.json();
        assertEquals(List.of("zzz"), List.of(json.get("unknownItems").get(0).asText()));
        assertEquals(items(http.get("/v1/users/alice/recommendations?k=4").json()), items(json));
    }

    @Test
    void aNullInThePostedExcludeListIs400NamingExclude() {
        HttpProbe.Answer answer = http.post("/v1/recommendations", "{\"items\":[\"i3\"],\"exclude\":[null]}");
        assertEquals(400, answer.status(), answer.body());
        assertTrue(answer.json().get("message").asText().contains("\"exclude\""), answer.body());
    }

    @Test
    void similarItemsAnswerKNeighboursAndUnknownItemsAre404() {
        JsonNode similar = http.get("/v1/items/i5/similar?k=4").json();
        assertEquals(4, items(similar).size());
        assertFalse(items(similar).contains("i5"));
        HttpProbe.Answer unknown = http.get("/v1/items/nope/similar");
        assertEquals(404, unknown.status());
        assertTrue(unknown.json().get("message").asText().contains("nope"));
    }

    @Test
    void historyListsTheUsersRecentItemsOldestFirst() {
        JsonNode history = http.get("/v1/users/alice/history?n=50").json();
        assertEquals("alice", history.get("user").asText());
        assertEquals("i3", history.get("items").get(0).asText());
        assertEquals("i7", history.get("items").get(1).asText());
        assertEquals(0, http.get("/v1/users/nobody/history").json().get("items").size());
    }

    @Test
    void aPlusInAUserIdIsPartOfTheId() {
        JsonNode history = http.get("/v1/users/a+b/history").json();
        assertEquals(PLUS_USER, history.get("user").asText());
        assertEquals("i5", history.get("items").get(0).asText());
        JsonNode answer = http.get("/v1/users/a+b/recommendations?k=3").json();
        assertTrue(answer.get("fallback").isNull(), answer.toString());
        Recommendation expected = recommender.recommend(List.of("i5"), 3, RecommendationFilters.NONE);
        assertEquals(expected.items().stream().map(ScoredItem::item).toList(), items(answer));
    }

    @Test
    void aPlusInAnItemIdIsPartOfTheId() {
        HttpProbe.Answer answer = http.get("/v1/items/i+5/similar");
        assertEquals(404, answer.status(), answer.body());
        assertTrue(answer.json().get("message").asText().contains("'i+5'"), answer.body());
    }

    @Test
    void percentEncodedIdsAreDecodedAsUtf8() {
        assertEquals(PLUS_USER, http.get("/v1/users/a%2Bb/history").json().get("user").asText());
        JsonNode accented = http.get("/v1/users/zo%C3%AB/history").json();
        assertEquals(ACCENTED_USER, accented.get("user").asText());
        assertEquals("i9", accented.get("items").get(0).asText());
    }

    @Test
    void kOutsideOneToOneThousandIs400NamingK() {
        for (String k : List.of("0", "1001", "-3")) {
            HttpProbe.Answer answer = http.get("/v1/users/alice/recommendations?k=" + k);
            assertEquals(400, answer.status(), k);
            assertEquals("k must be between 1 and 1000, got " + k, answer.json().get("message").asText());
        }
        HttpProbe.Answer notNumber = http.get("/v1/users/alice/recommendations?k=ten");
        assertEquals(400, notNumber.status());
        assertTrue(notNumber.json().get("message").asText().contains("k"), notNumber.body());
    }

    @Test
    void overLongIdsAre400() {
        HttpProbe.Answer user = http.get("/v1/users/" + "u".repeat(300) + "/recommendations");
        assertEquals(400, user.status());
        assertTrue(user.json().get("message").asText().startsWith("user id is 300 characters long"), user.body());
        HttpProbe.Answer item = http.post("/v1/recommendations", "{\"items\":[\"" + "x".repeat(257) + "\"]}");
        assertEquals(400, item.status());
        assertTrue(item.json().get("message").asText().startsWith("item id is 257 characters long"), item.body());
    }

    @Test
    void malformedJsonAndBodiesWithoutItemsAre400WithAJsonMessage() {
        HttpProbe.Answer broken = http.post("/v1/recommendations", "{\"items\": [\"i1\"");
        assertEquals(400, broken.status());
        assertFalse(broken.json().get("message").asText().isBlank());
        HttpProbe.Answer missing = http.post("/v1/recommendations", "{\"k\": 3}");
        assertEquals(400, missing.status());
        assertTrue(missing.json().get("message").asText().contains("items"), missing.body());
    }

    @Test
    void aBodyOfJsonNullIs400WithAJsonMessage() {
        HttpProbe.Answer answer = http.post("/v1/recommendations", "null");
        assertEquals(400, answer.status(), answer.body());
        assertFalse(answer.json().get("message").asText().isBlank(), answer.body());
    }

    @Test
    void bodiesOverTheSizeLimitAre400AndTheServiceKeepsServing() {
        StringBuilder body = new StringBuilder("{\"items\":[");
        for (int i = 0; i < 500; i++) {
            body.append(i == 0 ? "" : ",").append("\"i1\"");
        }
        HttpProbe.Answer answer = http.post("/v1/recommendations", body.append("]}").toString());
        assertEquals(400, answer.status());
        assertTrue(answer.json().get("message").asText().contains("2048"), answer.body());
        assertEquals(200, http.get("/v1/users/alice/recommendations").status());
    }

    @Test
    void theModelCardListsKindVersionAndMetricsWithTheBaseline() {
        JsonNode card = http.get("/v1/model").json();
        assertEquals("sasrec", card.get("kind").asText());
        assertEquals(recommender.model().version(), card.get("version").asText());
        assertEquals("tiny.txt", card.get("dataset").asText());
        assertEquals(TestCheckpoints.ITEMS, card.get("numItems").asInt());
        assertEquals(0.25, card.get("metrics").get("sasrec").get("test_hr@10").asDouble());
        assertEquals(0.1, card.get("metrics").get("pop").get("test_hr@10").asDouble());
        assertTrue(card.get("trainingCurve").isArray());
    }

    @Test
    void readinessIsUpAndPrometheusExposesTheServiceFigures() {
        http.get("/v1/users/alice/recommendations");
        http.get("/v1/users/stranger/recommendations");
        HttpProbe.Answer ready = http.get("/health/readiness");
        assertEquals(200, ready.status(), ready.body());
        assertEquals("UP", ready.json().get("status").asText());
        String metrics = http.get("/prometheus").body();
        assertTrue(metrics.contains("seqrec_request_seconds_bucket{endpoint=\"/v1/users/{userId}/recommendations\""),
                metrics);
        assertTrue(metrics.contains("seqrec_requests_total{endpoint=\"/v1/users/{userId}/recommendations\",outcome=\"fallback\"}"));
        assertTrue(metrics.contains("seqrec_fallbacks_total{kind=\"popularity\"}"));
        assertTrue(metrics.contains("seqrec_model_info{version=\"" + recommender.model().version() + "\"} 1"), metrics);
        assertTrue(metrics.contains("seqrec_ingestion_lag"));
    }

    @Test
    void statsReportIngestionAndRequestFigures() {
        http.get("/v1/users/alice/recommendations");
        JsonNode stats = http.get("/v1/stats").json();
        assertEquals(STORED.size(), stats.get("ingestion").get("events").asLong());
        assertFalse(stats.get("ingestion").get("running").asBoolean());
        assertTrue(stats.get("requests").get("count").asLong() >= 1);
        assertTrue(stats.get("requests").get("p99Millis").asDouble() > 0);
    }

    @Test
    void theOpenApiDocumentDescribesTheEndpoints() {
        HttpProbe.Answer doc = http.get("/openapi/seqrec-1.yml");
        assertEquals(200, doc.status());
        assertTrue(doc.body().contains("/v1/users/{userId}/recommendations:"), doc.body());
        assertTrue(doc.body().contains("/v1/admin/model:"));
    }

    @Test
    void unknownRoutesAre404WithAJsonMessage() {
        HttpProbe.Answer answer = http.get("/v1/nothing-here");
        assertEquals(404, answer.status());
        assertEquals(404, answer.json().get("status").asInt());
        assertFalse(answer.json().get("message").asText().isBlank());
    }

    @Test
    void theRootRedirectsToTheConsole() {
        HttpProbe.Answer root = http.get("/");
        assertEquals(303, root.status());
        assertEquals("/console/index.html", root.response().headers().firstValue("Location").orElseThrow());
    }

    @Test
    void eventsAre503WithoutABroker() {
        HttpProbe.Answer answer = http.post("/v1/events", "{\"user\":\"alice\",\"item\":\"i1\"}");
        assertEquals(503, answer.status());
        assertTrue(answer.json().get("message").asText().contains("--bootstrap"));
    }

    @Test
    void adminEndpointsRefuseEveryCallWithoutAConfiguredToken() {
        HttpProbe.Answer answer = http.post("/v1/admin/model", "{}", "anything");
        assertEquals(403, answer.status());
        assertTrue(answer.json().get("message").asText().contains("admin-token"));
    }
}
