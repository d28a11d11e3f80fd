package dev.seqrec.recommender.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.seqrec.recommender.TestCheckpoints;
import dev.seqrec.streaming.BrokerConfig;
import dev.seqrec.streaming.LocalKafkaBroker;
import dev.seqrec.streaming.RocksSequenceStore;
import dev.seqrec.streaming.StoreConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seqrec.serve.max-length}: left empty (application.yml's default) the service keeps the store's recorded
 * value, so a store created with another one needs no flag on every restart; given, it must be the store's.
 */
class ServeStoreMaxLengthTest {
    /** Not StoreConfig's default, so keeping it shows it came from the store. */
    private static final int RECORDED = 1000;

    @TempDir
    static Path brokerDir;
    private static LocalKafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = LocalKafkaBroker.start(BrokerConfig.onFreePort(brokerDir));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private Path storeRecording(int maxLength) {
        Path store = dir.resolve("store");
        RocksSequenceStore.open(store, StoreConfig.defaults().withMaxSequenceLength(maxLength)).close();
        return store;
    }

    /** The service over {@code store}, ingesting into it or following it; {@code maxLength} null leaves it unset. */
    private Map<String, Object> service(Path store, boolean ingests, Integer maxLength) {
        Map<String, Object> properties = new HashMap<>(Map.of("micronaut.server.port", "-1",
                "seqrec.serve.checkpoint", TestCheckpoints.write(dir.resolve("ckpt"), 1).toString(),
                "seqrec.serve.store", store.toString(),
                "seqrec.serve.topic", "max-length-test"));
        if (ingests) {
            properties.put("seqrec.serve.bootstrap", broker.bootstrapServers());
        }
        if (maxLength != null) {
            properties.put("seqrec.serve.max-length", maxLength.toString());
        }
        return properties;
    }

    private static int servedMaxLength(Map<String, Object> properties) {
        try (SeqrecService service = SeqrecService.start(properties)) {
            return service.context().getBean(RocksSequenceStore.class).maxSequenceLength();
        }
    }

    @Test
    void aServiceIngestingWithoutAMaxLengthKeepsTheOneTheStoreWasCreatedWith() {
        assertEquals(RECORDED, servedMaxLength(service(storeRecording(RECORDED), true, null)));
    }

    @Test
    void aServiceFollowingAStoreWithoutAMaxLengthReadsTheOneTheStoreWasCreatedWith() {
        assertEquals(RECORDED, servedMaxLength(service(storeRecording(RECORDED), false, null)));
    }

    @Test
    void aServiceIngestingIntoANewStoreWithoutAMaxLengthCreatesItWithTheDefault() {
        Path store = dir.resolve("new-store");
        assertEquals(StoreConfig.DEFAULT_MAX_SEQUENCE_LENGTH, servedMaxLength(service(store, true, null)));
        try (RocksSequenceStore reopened = RocksSequenceStore.open(store, StoreConfig.defaults())) {
            assertEquals(StoreConfig.DEFAULT_MAX_SEQUENCE_LENGTH, reopened.maxSequenceLength(), "recorded");
        }
    }

    @Test
    void aServiceIngestingIntoANewStoreWithAMaxLengthCreatesItWithThatOne() {
        Path store = dir.resolve("new-store");
        assertEquals(RECORDED, servedMaxLength(service(store, true, RECORDED)));
        try (RocksSequenceStore reopened = RocksSequenceStore.open(store, StoreConfig.defaults())) {
            assertEquals(RECORDED, reopened.maxSequenceLength(), "recorded");
        }
    }

    @Test
    void aMaxLengthOtherThanTheStoresIsRefusedNamingTheStoresOwnWhetherTheServiceIngestsOrFollows() {
        Path store = storeRecording(RECORDED);
        for (boolean ingests : new boolean[] {true, false}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> SeqrecService.start(service(store, ingests, StoreConfig.DEFAULT_MAX_SEQUENCE_LENGTH)));
            assertEquals("cannot start: sequence store " + store + " keeps each user's last " + RECORDED
                    + " items (fixed when it was created), not " + StoreConfig.DEFAULT_MAX_SEQUENCE_LENGTH
                    + ": pass --max-length " + RECORDED + ", or use a new store", refused.getMessage(),
                    ingests ? "ingesting" : "following");
        }
        assertEquals(RECORDED, servedMaxLength(service(store, true, RECORDED)), "the store's own is accepted");
    }
}
