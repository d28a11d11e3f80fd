package dev.seqrec.recommender.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seqrec.recommender.TestCheckpoints;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Limits below the request defaults (k 10, n 50): a request that names neither gets the limit, not a 400. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmallLimitsHttpTest implements TestPropertyProvider {
    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        try {
            Path dir = Files.createTempDirectory("seqrec-small-limits");
            Path store = dir.resolve("store");
            List<Interaction> history = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                history.add(Interaction.of("alice", TestCheckpoints.item(i)));
            }
            try (RocksSequenceStore writer = RocksSequenceStore.open(store, StoreConfig.defaults())) {
                writer.append(history);
            }
            return Map.of("micronaut.server.port", "-1",
                    "seqrec.serve.checkpoint", TestCheckpoints.write(dir.resolve("ckpt"), 1).toString(),
                    "seqrec.serve.store", store.toString(),
                    "seqrec.serve.max-k", "4",
                    "seqrec.serve.seen-window", "3");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void recommendationsWithoutKAnswerMaxK() {
        HttpProbe http = new HttpProbe(server.getPort());
        HttpProbe.Answer user = http.get("/v1/users/alice/recommendations");
        assertEquals(200, user.status(), user.body());
        assertEquals(4, user.json().get("items").size());
        assertEquals(4, http.post("/v1/recommendations", "{\"items\":[\"i1\"]}").json().get("items").size());
        assertEquals(4, http.get("/v1/items/i1/similar").json().get("items").size());
    }

    @Test
    void historyWithoutNAnswersTheSeenWindow() {
        HttpProbe.Answer answer = new HttpProbe(server.getPort()).get("/v1/users/alice/history");
        assertEquals(200, answer.status(), answer.body());
        assertEquals(3, answer.json().get("items").size());
    }
}
