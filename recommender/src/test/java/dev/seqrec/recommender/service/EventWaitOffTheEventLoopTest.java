package dev.seqrec.recommender.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.seqrec.recommender.TestCheckpoints;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A posted event waits for the broker off the event loop: with one loop, as here, an event waiting on it would hold
 * every other request until the broker answered.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventWaitOffTheEventLoopTest implements TestPropertyProvider {
    /** Longer than any wait of this test, so the event is still waiting whenever the other request is answered. */
    private static final String MAX_BLOCK = "1h";
    private static final String EVENT = "{\"user\":\"u1\",\"item\":\"i1\"}";

    @Inject
    EmbeddedServer server;
    private RefusingPort broker;

    @Override
    public Map<String, String> getProperties() {
        try {
            Path dir = Files.createTempDirectory("seqrec-event-wait-test");
            broker = new RefusingPort();
            return Map.of("micronaut.server.port", "-1",
                    "micronaut.server.netty.worker.threads", "1",
                    "micronaut.netty.event-loops.default.num-threads", "1",
                    "seqrec.serve.checkpoint", TestCheckpoints.write(dir.resolve("ckpt"), 1).toString(),
                    "seqrec.serve.store", dir.resolve("store").toString(),
                    "seqrec.serve.bootstrap", broker.address(),
                    "seqrec.serve.events-max-block", MAX_BLOCK);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    void releasePort() throws IOException {
        broker.close();
    }

    @Test
    void otherRequestsAreAnsweredWhileAnEventWaitsForTheBroker() throws Exception {
        CompletableFuture<HttpProbe.Answer> event =
                CompletableFuture.supplyAsync(() -> new HttpProbe(server.getPort()).post("/v1/events", EVENT));
        Await.until(EventWaitOffTheEventLoopTest::aThreadIsProducing, "the posted event never reached the producer");
        HttpProbe.Answer model;
        try {
            model = CompletableFuture.supplyAsync(() -> new HttpProbe(server.getPort()).get("/v1/model"))
                    .get(Await.HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("GET /v1/model waited behind the event", e);
        }
        assertEquals(200, model.status(), model.body());
        assertFalse(event.isDone(), "the event was answered: this test showed nothing");
    }

    /**
     * Whether a thread is in {@link KafkaProducer#send}: the event's, waiting for the broker (the service's other
     * producer sends only malformed events, of which none arrive).
     */
    private static boolean aThreadIsProducing() {
        return Thread.getAllStackTraces().values().stream().flatMap(Arrays::stream).anyMatch(frame ->
                frame.getClassName().equals(KafkaProducer.class.getName()) && frame.getMethodName().equals("send"));
    }
}
