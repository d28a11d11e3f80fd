package dev.seqrec.recommender.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqrec.recommender.Recommender;
import dev.seqrec.recommender.TestCheckpoints;
import dev.seqrec.streaming.RocksSequenceStore;
import dev.seqrec.streaming.StoreConfig;
import dev.seqrec.trainer.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting and stopping the service in this JVM leaves nothing behind: no store lock, no temporary directory. */
class SeqrecServiceTest {
    /** Never contacted: the service fails before it would produce or consume. */
    private static final String UNUSED_BROKER = "127.0.0.1:1";

    @TempDir
    Path dir;

    @Test
    void aStartFailingOnABadCheckpointReleasesTheStoreItOpened() {
        Path store = dir.resolve("store");
        Map<String, Object> properties = Map.of("micronaut.server.port", "-1",
                "seqrec.serve.checkpoint", dir.resolve("no-checkpoint-here").toString(),
                "seqrec.serve.store", store.toString(),
                "seqrec.serve.bootstrap", UNUSED_BROKER); // with a broker the service opens the store for writing
        assertThrows(IllegalArgumentException.class, () -> SeqrecService.start(properties));
        assertTrue(Files.isDirectory(store), "the store was not opened, so this test shows nothing");
        RocksSequenceStore.open(store, StoreConfig.defaults()).close(); // throws while another instance holds the lock
    }

    @Test
    void aRequestAfterTheRecommenderClosedIs503() {
        Path store = dir.resolve("store");
        RocksSequenceStore.open(store, StoreConfig.defaults()).close();
        try (SeqrecService service = SeqrecService.start(Map.of("micronaut.server.port", "-1",
                "seqrec.serve.checkpoint", TestCheckpoints.write(dir.resolve("ckpt"), 1).toString(),
                "seqrec.serve.store", store.toString(),
                "seqrec.serve.secondary-parent", dir.resolve("secondaries").toString()))) {
            service.context().getBean(Recommender.class).close(); // as during shutdown, before the server stops
            HttpProbe.Answer answer = new HttpProbe(service.port()).post("/v1/recommendations", "{\"items\":[\"i1\"]}");
            assertEquals(503, answer.status(), answer.body());
            assertEquals("recommender is closed", answer.json().get("message").asText(), answer.body());
        }
    }

    @Test
    void closingTheServiceDeletesTheStoresSecondaryDirectory() {
        Path store = dir.resolve("store");
        RocksSequenceStore.open(store, StoreConfig.defaults()).close();
        Path parent = dir.resolve("secondaries");
        Path secondary;
        try (SeqrecService service = SeqrecService.start(Map.of("micronaut.server.port", "-1",
                "seqrec.serve.checkpoint", TestCheckpoints.write(dir.resolve("ckpt"), 1).toString(),
                "seqrec.serve.store", store.toString(),
                "seqrec.serve.secondary-parent", parent.toString()))) {
            secondary = service.context().getBean(ServiceBeans.SecondaryDirectory.class).path();
            assertEquals(parent, secondary.getParent());
            assertTrue(Files.isDirectory(secondary), String.valueOf(secondary));
        }
        assertFalse(Files.exists(secondary), secondary + " is still there");
    }

    @Test
    void aStartFailingOnABadCheckpointDeletesTheSecondaryDirectoryItMade() throws Exception {
        Path store = dir.resolve("store");
        RocksSequenceStore.open(store, StoreConfig.defaults()).close();
        Path parent = dir.resolve("secondaries");
        assertThrows(IllegalArgumentException.class, () -> SeqrecService.start(Map.of("micronaut.server.port", "-1",
                "seqrec.serve.checkpoint", dir.resolve("no-checkpoint-here").toString(),
                "seqrec.serve.store", store.toString(), // no broker: the service follows the store as a secondary
                "seqrec.serve.secondary-parent", parent.toString())));
        assertTrue(Files.isDirectory(parent), "no secondary directory was made, so this test shows nothing");
        try (Stream<Path> left = Files.list(parent)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void aStartFailingOnACheckpointErrorKeepsSeqrecsMessageRatherThanItsCauses() throws IOException {
        Path checkpoint = TestCheckpoints.write(dir.resolve("ckpt"), 1);
        Path modelJson = checkpoint.resolve(Checkpoint.MODEL_JSON);
        // Not JSON, yet listed with its checksum: the loader's parse error is the cause of its CheckpointException
        String staleSum = Checkpoint.sha256(modelJson);
        Files.writeString(modelJson, "{");
        Path sums = checkpoint.resolve(Checkpoint.CHECKSUMS);
        Files.writeString(sums, Files.readString(sums).replace(staleSum, Checkpoint.sha256(modelJson)));
        Path store = dir.resolve("store");
        RocksSequenceStore.open(store, StoreConfig.defaults()).close();
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> SeqrecService.start(Map.of("micronaut.server.port", "-1",
                        "seqrec.serve.checkpoint", checkpoint.toString(), "seqrec.serve.store", store.toString())));
        assertTrue(failure.getMessage().startsWith("cannot start: " + checkpoint + ": unreadable checkpoint: "),
                failure.getMessage());
    }
}
