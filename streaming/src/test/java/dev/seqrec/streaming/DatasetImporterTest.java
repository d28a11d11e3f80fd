package dev.seqrec.streaming;

import dev.seqrec.eval.data.ReadOptions;
import dev.seqrec.report.ProgressBar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(TestKafka.class)
class DatasetImporterTest {
    @TempDir
    Path dir;

    @Test
    void anItemIdWithASpaceFailsTheImportNamingItAndItsUserBeforeAnythingIsSent() throws Exception {
        Path input = dir.resolve("tiny.csv");
        Files.writeString(input, "user,item\nu1,a\nu2,a b\n");
        String topic = "t-" + UUID.randomUUID();
        IOException e = assertThrows(IOException.class, () -> DatasetImporter.importFile(input, ReadOptions.DEFAULTS,
                ImportConfig.of(TestKafka.bootstrap(), topic), ProgressBar.Mode.LOG_LINES));
        assertEquals(input + ": cannot import item \"a b\" of user \"u2\": \"item\" contains whitespace, control or "
                + "invisible characters; nothing was sent", e.getMessage());
        assertFalse(TestKafka.topicExists(topic), "the topic was not even created");
    }

    @Test
    void aTopicIsCreatedWithTheBrokersDefaultReplicationFactorUnlessOneIsGiven() throws Exception {
        Path input = Files.writeString(dir.resolve("tiny.txt"), "u1 a b\n");
        // A single node cannot hold 2 replicas: creating a topic with the broker's default fails, which shows it is used
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(BrokerConfig.onFreePort(dir.resolve("broker")),
                Map.of("default.replication.factor", "2"))) {
            ImportConfig defaults = ImportConfig.of(broker.bootstrapServers(), "events").withPartitions(1);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> DatasetImporter.importFile(
                    input, ReadOptions.DEFAULTS, defaults, ProgressBar.Mode.LOG_LINES));
            assertTrue(e.getMessage().startsWith("cannot create topic events on " + broker.bootstrapServers() + ": ")
                    && e.getMessage().contains("replication factor of 2"), e.getMessage());
            assertEquals(2, DatasetImporter.importFile(input, ReadOptions.DEFAULTS,
                    defaults.withReplicationFactor((short) 1), ProgressBar.Mode.LOG_LINES).events());
        }
    }

    @Test
    void idsLongerThanTheDefaultLimitImportUnderTheIngestsHigherOne() throws Exception {
        String longItem = "i".repeat(InteractionEventCodec.DEFAULT_MAX_ID_BYTES + 1);
        Path input = Files.writeString(dir.resolve("long.csv"), "user,item\nu1," + longItem + "\n");
        ImportConfig defaults = ImportConfig.of(TestKafka.bootstrap(), "t-" + UUID.randomUUID());
        ImportConfig raised = new ImportConfig(defaults.bootstrapServers(), defaults.topic(), 1,
                defaults.timestampUnit(), null, 2 * InteractionEventCodec.DEFAULT_MAX_ID_BYTES);
        assertEquals(1, DatasetImporter.importFile(input, ReadOptions.DEFAULTS, raised, ProgressBar.Mode.LOG_LINES)
                .events());
    }
}
