package dev.seqrec.recommender.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqrec.recommender.TestCheckpoints;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A broker that cannot be reached: a posted event waits events-max-block for it, then is a 503. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventBrokerUnavailableTest implements TestPropertyProvider {
    private static final long MAX_BLOCK_MILLIS = 2000;
    private static final String EVENT = "{\"user\":\"u1\",\"item\":\"i1\"}";

    @Inject
    EmbeddedServer server;
    private RefusingPort broker;

    @Override
    public Map<String, String> getProperties() {
        try {
            Path dir = Files.createTempDirectory("seqrec-broker-down-test");
            broker = new RefusingPort();
            return Map.of("micronaut.server.port", "-1",
                    "seqrec.serve.checkpoint", TestCheckpoints.write(dir.resolve("ckpt"), 1).toString(),
                    "seqrec.serve.store", dir.resolve("store").toString(),
                    "seqrec.serve.bootstrap", broker.address(),
                    "seqrec.serve.events-max-block", MAX_BLOCK_MILLIS + "ms");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    void releasePort() throws IOException {
        broker.close();
    }

    @Test
    void anEventTheBrokerDoesNotTakeWithinTheMaxBlockIs503() {
        long start = System.nanoTime();
        HttpProbe.Answer answer = new HttpProbe(server.getPort()).post("/v1/events", EVENT);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(503, answer.status(), answer.body());
        assertTrue(answer.json().get("message").asText().contains("not produced to topic interactions"), answer.body());
        assertTrue(millis >= MAX_BLOCK_MILLIS, "answered after " + millis + " ms, before the broker was waited for");
    }
}
