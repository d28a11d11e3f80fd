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
import io.micronaut.core.type.Argument;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.serde.SerdeRegistry;
import io.micronaut.serde.exceptions.SerdeException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.web.router.Router;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.Yaml;

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
    @Inject
    Router router;
    @Inject
    SerdeRegistry serde;
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
    void malformedJsonNamesTheStatusReasonAsTheError() {
        HttpProbe.Answer broken = http.post("/v1/recommendations", "{bad");
        assertEquals(400, broken.status());
        assertEquals("Bad Request", broken.json().get("error").asText(), broken.body());
    }

    @Test
    void malformedJsonIs400SayingWhereTheBodyBreaksWithoutTheParsersInternals() {
        HttpProbe.Answer broken = http.post("/v1/recommendations", "{\"items\": [\"i1\"");
        assertEquals(400, broken.status());
        String message = broken.json().get("message").asText();
        assertTrue(message.startsWith("the body is not valid JSON: Unexpected end-of-input"), message);
        assertTrue(message.endsWith("(line 1, column 16)"), message);
        assertFalse(message.contains("REDACTED"), message);
    }

    @Test
    void aQueryValueOfTheWrongTypeIs400NamingTheParameterAndTheValue() {
        HttpProbe.Answer answer = http.get("/v1/users/alice/recommendations?k=abc");
        assertEquals(400, answer.status());
        assertEquals("k must be a whole number, got \"abc\"", answer.json().get("message").asText(), answer.body());
    }

    @Test
    void aQueryNumberBeyondItsTypeIs400SayingTheRangeRatherThanThatItIsNoNumber() {
        HttpProbe.Answer answer = http.get("/v1/users/alice/recommendations?k=3000000000");
        assertEquals(400, answer.status());
        assertEquals("k must be between -2147483648 and 2147483647, got \"3000000000\"",
                answer.json().get("message").asText(), answer.body());
    }

    @Test
    void aQueryNumberWithASpaceIs400SayingItIsNoWholeNumber() {
        HttpProbe.Answer answer = http.get("/v1/users/alice/recommendations?k=+3"); // '+' is a space in a query
        assertEquals(400, answer.status());
        assertEquals("k must be a whole number, got \" 3\"", answer.json().get("message").asText(), answer.body());
    }

    @Test
    void anEmptyQueryNumberIs400RatherThanTheDefault() {
        HttpProbe.Answer answer = http.get("/v1/users/alice/history?n=");
        assertEquals(400, answer.status());
        assertEquals("n must be a whole number, got \"\"", answer.json().get("message").asText(), answer.body());
    }

    /** A misspelt parameter is refused, as a misspelt body field is: {@code excludeseen=true} would keep seen items. */
    @Test
    void aQueryParameterTheEndpointDoesNotTakeIs400NamingItAndListingTheAcceptedOnes() {
        HttpProbe.Answer answer = http.get("/v1/users/alice/recommendations?k=30&excludeseen=true");
        assertEquals(400, answer.status(), answer.body());
        assertEquals("unknown query parameter \"excludeseen\"; the accepted parameters are \"k\", \"excludeSeen\", "
                + "\"exclude\"", answer.json().get("message").asText());
        assertEquals(400, http.get("/v1/users/alice/history?k=3").status());
        assertEquals(400, http.get("/v1/items/i5/similar?n=3").status());
    }

    @Test
    void aQueryParameterGivenTwiceIs400ButExcludeMayBeRepeated() {
        HttpProbe.Answer twice = http.get("/v1/users/alice/recommendations?k=3&k=4");
        assertEquals(400, twice.status(), twice.body());
        assertEquals("k is given 2 times; give it once", twice.json().get("message").asText());
        List<String> repeated = items(http.get("/v1/users/alice/recommendations?k=30&exclude=i1&exclude=i2,i4").json());
        List<String> expected = items(http.get("/v1/users/alice/recommendations?k=30").json());
        expected.removeAll(List.of("i1", "i2", "i4"));
        assertEquals(expected, repeated);
    }

    @Test
    void aBodyWithMoreAfterItsJsonValueIs400() {
        HttpProbe.Answer text = http.post("/v1/recommendations", "{\"items\":[\"i1\"],\"k\":3} trailing");
        assertEquals(400, text.status(), text.body());
        assertTrue(text.json().get("message").asText().startsWith("the body is not valid JSON: Unrecognized token "
                + "'trailing'"), text.body());
        HttpProbe.Answer two = http.post("/v1/recommendations", "{\"items\":[\"i1\"],\"k\":3}{\"items\":[\"i2\"]}");
        assertEquals(400, two.status(), two.body());
        assertEquals("the body is not valid JSON: more follows its first value (line 1, column 23)",
                two.json().get("message").asText());
        assertEquals(200, http.post("/v1/recommendations", "{\"items\":[\"i1\"],\"k\":3}\n").status());
    }

    @Test
    void aBodyNestedBeyondTheJsonReadersLimitIs400SayingSo() {
        HttpProbe.Answer answer = http.post("/v1/recommendations",
                "{\"items\":" + "[".repeat(1001) + "]".repeat(1001) + "}");
        assertEquals(400, answer.status(), answer.body());
        assertTrue(answer.json().get("message").asText().startsWith("the body exceeds the JSON reader's limits: "
                + "Document nesting depth"), answer.body());
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

    /** GET {@code path}, following redirects (at most three), as a browser would; the answer and the URI it came from. */
    private record Followed(HttpProbe.Answer answer, URI uri) {
    }

    private Followed follow(String path) {
        URI uri = URI.create(path);
        for (int hop = 0; hop <= 3; hop++) {
            HttpProbe.Answer answer = http.get(uri.toString());
            if (answer.status() / 100 != 3) {
                return new Followed(answer, uri);
            }
            uri = uri.resolve(answer.response().headers().firstValue("Location").orElseThrow());
        }
        throw new AssertionError("more than three redirects from " + path);
    }

    /** The console's page, reached at each of its URLs, loads its stylesheet and script, and keeps the query. */
    @Test
    void theConsoleWithOrWithoutTheTrailingSlashLoadsItsAssets() {
        for (String path : List.of("/console", "/console?user=alice", "/console/", "/console/index.html")) {
            Followed page = follow(path);
            assertEquals(200, page.answer().status(), path);
            assertTrue(page.answer().body().contains("<title>seqrec console</title>"), path);
            assertEquals(URI.create(path).getQuery(), page.uri().getQuery(), path + " keeps its query");
            Matcher assets = Pattern.compile("(?:href|src)=\"([^\"]+\\.(?:css|js))\"").matcher(page.answer().body());
            int found = 0;
            while (assets.find()) {
                URI asset = page.uri().resolve(assets.group(1));
                HttpProbe.Answer answer = http.get(asset.toString());
                assertEquals(200, answer.status(), path + " -> " + asset);
                assertFalse(answer.body().isBlank(), asset.toString());
                found++;
            }
            assertEquals(2, found, path + ": the stylesheet and the script");
        }
    }

    /** Generated clients read the OpenAPI document: events are 202 with where the event landed, not 200. */
    @Test
    @SuppressWarnings("unchecked")
    void theOpenApiDocumentDescribesPostedEventsAs202WithTheirOffset() {
        Map<String, Object> doc = new Yaml().load(http.get("/openapi/seqrec-1.yml").body());
        Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
        Map<String, Object> post = (Map<String, Object>) ((Map<String, Object>) paths.get("/v1/events")).get("post");
        Map<String, Object> responses = (Map<String, Object>) post.get("responses");
        assertEquals(Set.of("202", "400", "503"), responses.keySet(), responses.toString());
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("schemas");
        Map<String, Object> accepted = schema(responses.get("202"), schemas);
        assertEquals(Set.of("topic", "partition", "offset"), ((Map<String, Object>) accepted.get("properties")).keySet(),
                accepted.toString());
        for (String status : List.of("400", "503")) {
            Map<String, Object> error = schema(responses.get(status), schemas);
            assertEquals(Set.of("status", "error", "message"), ((Map<String, Object>) error.get("properties")).keySet(),
                    status + ": " + error);
        }
    }

    /** A response's application/json schema, its $ref resolved. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> schema(Object response, Map<String, Object> schemas) {
        Map<String, Object> content = (Map<String, Object>) ((Map<String, Object>) response).get("content");
        Map<String, Object> schema = (Map<String, Object>) ((Map<String, Object>) content.get("application/json"))
                .get("schema");
        String ref = (String) schema.get("$ref");
        return ref == null ? schema : (Map<String, Object>) schemas.get(ref.substring(ref.lastIndexOf('/') + 1));
    }

    @Test
    void excludeSeenInTheQueryMustBeTrueOrFalse() {
        for (String value : List.of("maybe", "yes", "1", "")) {
            HttpProbe.Answer answer = http.get("/v1/users/alice/recommendations?excludeSeen=" + value);
            assertEquals(400, answer.status(), value + ": " + answer.body());
            assertEquals(400, answer.json().get("status").asInt());
            assertEquals("Bad Request", answer.json().get("error").asText());
            assertTrue(answer.json().get("message").asText().contains("excludeSeen"), answer.body());
        }
        List<String> seen = List.of("i3", "i7");
        for (String value : List.of("true", "TRUE", "True")) {
            HttpProbe.Answer answer = http.get("/v1/users/alice/recommendations?k=30&excludeSeen=" + value);
            assertEquals(200, answer.status(), value + ": " + answer.body());
            assertTrue(items(answer.json()).stream().noneMatch(seen::contains), value);
        }
        assertTrue(items(http.get("/v1/users/alice/recommendations?k=30&excludeSeen=false").json()).containsAll(seen));
    }

    /** A value of the wrong JSON type is refused, naming the field, not coerced (a typo must not change answers). */
    @Test
    void postedFieldsOfTheWrongJsonTypeAre400NamingTheField() {
        Map<String, String> bodies = Map.of(
                "{\"items\":[\"i3\"],\"k\":3,\"excludeSeen\":\"yes\"}", "\"excludeSeen\"",
                "{\"items\":[\"i3\"],\"excludeSeen\":1}", "\"excludeSeen\"",
                "{\"items\":[\"i3\"],\"k\":1.5}", "\"k\"",
                "{\"items\":[\"i3\"],\"k\":\"3\"}", "\"k\"",
                "{\"items\":[\"i3\"],\"k\":3000000000}", "\"k\"",
                "{\"items\":[3]}", "\"items\"",
                "{\"items\":\"i3\"}", "\"items\"",
                "{\"items\":[\"i3\"],\"exclude\":[[\"i1\"]]}", "\"exclude\"",
                "[\"i3\"]", "JSON object");
        bodies.forEach((body, field) -> {
            HttpProbe.Answer answer = http.post("/v1/recommendations", body);
            assertEquals(400, answer.status(), body + " -> " + answer.body());
            JsonNode json = answer.json();
            assertEquals(400, json.get("status").asInt(), answer.body());
            assertEquals("Bad Request", json.get("error").asText(), answer.body());
            assertTrue(json.get("message").asText().contains(field), body + " -> " + answer.body());
        });
        HttpProbe.Answer strict = http.post("/v1/recommendations", "{\"items\":[\"i3\"],\"k\":2,\"excludeSeen\":true}");
        assertEquals(200, strict.status(), strict.body());
        assertEquals(2, items(strict.json()).size());
        assertFalse(items(strict.json()).contains("i3"));
    }

    /** A misspelt field is refused, not dropped: {@code "excludeseen": true} would otherwise recommend seen items. */
    @Test
    void aPostedFieldTheRequestDoesNotHaveIs400NamingItAndListingTheAcceptedOnes() {
        HttpProbe.Answer answer = http.post("/v1/recommendations", "{\"items\":[\"i3\"],\"excludeseen\":true}");
        assertEquals(400, answer.status(), answer.body());
        assertEquals("Bad Request", answer.json().get("error").asText(), answer.body());
        assertEquals("unknown field \"excludeseen\"; the accepted fields are \"items\", \"k\", \"excludeSeen\", "
                + "\"exclude\"", answer.json().get("message").asText());
    }

    /** The OpenAPI document says so too: every request body's schema allows no other properties. */
    @Test
    @SuppressWarnings("unchecked")
    void theOpenApiDocumentDescribesEveryRequestBodyAsTakingNoOtherFields() {
        Map<String, Object> doc = new Yaml().load(http.get("/openapi/seqrec-1.yml").body());
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("schemas");
        List<String> requests = List.of("RecommendationController.HistoryRequest", "EventController.EventRequest",
                "ModelController.ReloadRequest");
        for (String request : requests) {
            Map<String, Object> schema = (Map<String, Object>) schemas.get(request);
            assertEquals(false, schema.get("additionalProperties"), request + ": " + schema);
        }
    }

    /** Generated clients read the OpenAPI document: the admin endpoint's answer and each of its refusals. */
    @Test
    @SuppressWarnings("unchecked")
    void theOpenApiDocumentDescribesTheAdminEndpointsAnswerErrorsAndToken() {
        Map<String, Object> doc = new Yaml().load(http.get("/openapi/seqrec-1.yml").body());
        Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
        Map<String, Object> post = (Map<String, Object>) ((Map<String, Object>) paths.get("/v1/admin/model"))
                .get("post");
        Map<String, Object> responses = (Map<String, Object>) post.get("responses");
        assertEquals(Set.of("200", "400", "401", "403", "422"), responses.keySet(), responses.toString());
        Map<String, Object> components = (Map<String, Object>) doc.get("components");
        Map<String, Object> schemas = (Map<String, Object>) components.get("schemas");
        Map<String, Object> swapped = schema(responses.get("200"), schemas);
        assertEquals(Set.of("modelVersion", "previousVersion", "checkpoint"),
                ((Map<String, Object>) swapped.get("properties")).keySet(), swapped.toString());
        for (String status : List.of("400", "401", "403", "422")) {
            Map<String, Object> error = schema(responses.get(status), schemas);
            assertEquals(Set.of("status", "error", "message"), ((Map<String, Object>) error.get("properties")).keySet(),
                    status + ": " + error);
        }
        assertEquals(List.of(Map.of(ModelController.ADMIN_TOKEN, List.of())), post.get("security"));
        Map<String, Object> scheme = (Map<String, Object>) ((Map<String, Object>) components.get("securitySchemes"))
                .get(ModelController.ADMIN_TOKEN);
        assertEquals("http", scheme.get("type"), scheme.toString());
        assertEquals("bearer", scheme.get("scheme"), scheme.toString());
    }

    /** StrictInput reads each body type it has a line for: a request record added without one would be lenient. */
    @Test
    void everyJsonRequestBodyOfTheServiceIsReadStrictly() throws SerdeException {
        List<Argument<?>> bodies = router.uriRoutes().map(route -> route.getBodyArgument()).flatMap(Optional::stream)
                .filter(body -> body.getType().getName().startsWith("dev.seqrec.")).distinct().toList();
        assertEquals(3, bodies.size(), bodies.toString());
        for (Argument<?> body : bodies) {
            assertTrue(serde.findDeserializer(body) instanceof StrictInput.Strict<?>, body.getTypeName());
        }
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
