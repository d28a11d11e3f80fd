package dev.seqrec.streaming;

import dev.seqrec.eval.data.ReadOptions;
import dev.seqrec.report.ProgressBar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A dataset imported into Kafka, ingested into a store and exported again comes back as it went in. */
@ExtendWith(TestKafka.class)
class ImportIngestExportTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private Path roundTrip(Path input, int partitions, int maxSequenceLength) throws Exception {
        String topic = TestKafka.newTopic(partitions);
        DatasetImporter.ImportResult sent = DatasetImporter.importFile(input, ReadOptions.DEFAULTS,
                ImportConfig.of(TestKafka.bootstrap(), topic), ProgressBar.Mode.LOG_LINES);
        Path exported = dir.resolve("exported.txt");
        try (RocksSequenceStore store = RocksSequenceStore.open(dir.resolve("store"),
                StoreConfig.defaults().withMaxSequenceLength(maxSequenceLength));
             InteractionIngestor ingestor = new InteractionIngestor(IngestConfig.of(TestKafka.bootstrap(), topic), store)) {
            ingestor.start();
            TestKafka.await("every imported event stored", TIMEOUT, () -> store.counts().events() == sent.events());
            store.exportSequences(exported);
        }
        return exported;
    }

    @Test
    void sequenceFileComesBackByteForByteThroughOnePartition() throws Exception {
        Path input = dir.resolve("tiny.txt");
        Files.writeString(input, "u1 a b c\nu2 c d\nu3 a\nu10 e a e b\n");
        assertEquals(Files.readString(input), Files.readString(roundTrip(input, 1, 10)));
    }

    @Test
    void timestampedFileComesBackInEachUsersTimeOrder() throws Exception {
        Path input = dir.resolve("tiny.inter");
        Files.writeString(input, """
                user_id:token\titem_id:token\ttimestamp:float
                u1\ta\t30
                u2\tb\t10
                u1\tb\t20
                u2\tc\t40
                u1\tc\t50
                """);
        List<String> lines = Files.readAllLines(roundTrip(input, 3, 10));
        assertEquals(List.of("u1 b a c", "u2 b c"), lines.stream().sorted().toList());
    }

    @Test
    void beautyComesBackWithEveryUsersSequenceThroughThreePartitions() throws Exception {
        Path beauty = Path.of(System.getProperty("seqrec.shared"), "data/amazon-beauty/beauty.txt");
        List<String> exported = Files.readAllLines(roundTrip(beauty, 3, 1000));
        assertEquals(Files.readAllLines(beauty).stream().sorted().toList(), exported.stream().sorted().toList());
    }
}
