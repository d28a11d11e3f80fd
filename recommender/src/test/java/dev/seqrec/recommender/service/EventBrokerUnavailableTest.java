package dev.seqrec.recommender.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqrec.recommender.TestCheckpoints;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A broker that never answers: a posted event waits at most events-max-block, then is a 503, and waits off the
 * event loop (one loop here, so a request blocking it would hold every other request).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventBrokerUnavailableTest implements TestPropertyProvider {
    private static final long MAX_BLOCK_MILLIS = 4000;
    /** Well under MAX_BLOCK_MILLIS: an answer this fast did not wait behind the posted event. */
    private static final long OTHER_REQUEST_TIMEOUT_MILLIS = 2000;
    private static final String EVENT = "{\"user\":\"u1\",\"item\":\"i1\"}";

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        try {
            Path dir = Files.createTempDirectory("seqrec-broker-down-test");
            int closedPort;
            try (ServerSocket socket = new ServerSocket(0)) {
                closedPort = socket.getLocalPort(); // nothing listens there once the socket is closed
            }
            return Map.of("micronaut.server.port", "-1",
                    "micronaut.server.netty.worker.threads", "1",
                    "micronaut.netty.event-loops.default.num-threads", "1",
                    "seqrec.serve.checkpoint", TestCheckpoints.write(dir.resolve("ckpt"), 1).toString(),
                    "seqrec.serve.store", dir.resolve("store").toString(),
                    "seqrec.serve.bootstrap", "127.0.0.1:" + closedPort,
                    "seqrec.serve.events-max-block", MAX_BLOCK_MILLIS + "ms");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anEventTheBrokerDoesNotTakeWithinTheMaxBlockIs503() {
        long start = System.nanoTime();
        HttpProbe.Answer answer = new HttpProbe(server.getPort()).post("/v1/events", EVENT);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(503, answer.status(), answer.body());
        assertTrue(answer.json().get("message").asText().contains("not produced to topic interactions"), answer.body());
        assertTrue(millis >= MAX_BLOCK_MILLIS && millis < MAX_BLOCK_MILLIS * 3, millis + " ms");
    }

    @Test
    void otherRequestsAreAnsweredWhileAnEventWaitsForTheBroker() throws Exception {
        CompletableFuture<HttpProbe.Answer> event =
                CompletableFuture.supplyAsync(() -> new HttpProbe(server.getPort()).post("/v1/events", EVENT));
        Thread.sleep(MAX_BLOCK_MILLIS / 8); // the event is now waiting for the broker's metadata
        assertFalse(event.isDone());
        HttpProbe.Answer model = CompletableFuture.supplyAsync(() -> new HttpProbe(server.getPort()).get("/v1/model"))
                .get(OTHER_REQUEST_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        assertEquals(200, model.status());
        assertFalse(event.isDone(), "the event was answered before the other request");
        assertEquals(503, event.get().status());
    }
}
