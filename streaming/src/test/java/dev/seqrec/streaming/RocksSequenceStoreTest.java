package dev.seqrec.streaming;

import dev.seqrec.eval.data.IdMapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RocksSequenceStoreTest {
    @TempDir
    Path dir;

    private RocksSequenceStore openStore(int cap) {
        return RocksSequenceStore.open(dir.resolve("store"), StoreConfig.defaults().withMaxSequenceLength(cap));
    }

    private static List<Interaction> events(String user, String... items) {
        return java.util.Arrays.stream(items).map(item -> Interaction.of(user, item)).toList();
    }

    @Test
    void recentItemsAreTheLastNOldestFirst() {
        try (RocksSequenceStore store = openStore(10)) {
            store.append(events("u1", "a", "b", "c", "d"));
            assertEquals(List.of("c", "d"), store.recentItems("u1", 2));
            assertEquals(List.of("a", "b", "c", "d"), store.recentItems("u1", 50));
        }
    }

    @Test
    void unknownUserHasNoItems() {
        try (RocksSequenceStore store = openStore(10)) {
            store.append(events("u1", "a"));
            assertEquals(List.of(), store.recentItems("nobody", 5));
        }
    }

    @Test
    void appendsAcrossBatchesKeepEachUsersOrder() {
        try (RocksSequenceStore store = openStore(10)) {
            store.append(List.of(Interaction.of("u1", "a"), Interaction.of("u2", "x"), Interaction.of("u1", "b")));
            store.append(List.of(Interaction.of("u2", "y"), Interaction.of("u1", "c")));
            assertEquals(List.of("a", "b", "c"), store.recentItems("u1", 10));
            assertEquals(List.of("x", "y"), store.recentItems("u2", 10));
        }
    }

    @Test
    void capDropsTheOldestItems() {
        try (RocksSequenceStore store = openStore(3)) {
            store.append(events("u1", "a", "b"));
            store.append(events("u1", "c", "d", "e"));
            assertEquals(List.of("c", "d", "e"), store.recentItems("u1", 10));
            assertEquals(3, store.sequenceLength("u1"));
        }
    }

    @Test
    void countsUsersDistinctItemsAndAllAcceptedEvents() {
        try (RocksSequenceStore store = openStore(2)) {
            store.append(events("u1", "a", "b", "a"));
            store.append(events("u2", "b", "c"));
            assertEquals(new StoreCounts(2, 3, 5, 0), store.counts());
        }
    }

    @Test
    void itemsGetDenseIdsInOrderOfFirstAppearanceSharedByAllUsers() {
        try (RocksSequenceStore store = openStore(10)) {
            store.append(events("u1", "sku-9", "sku-3"));
            store.append(events("u2", "sku-3", "sku-7"));
            assertEquals(1, store.itemId("sku-9"));
            assertEquals(2, store.itemId("sku-3"));
            assertEquals(3, store.itemId("sku-7"));
            assertEquals(IdMapping.UNKNOWN, store.itemId("never"));
            IdMapping vocabulary = store.itemVocabulary();
            assertEquals(3, vocabulary.size());
            assertEquals("sku-7", vocabulary.externalId(3));
        }
    }

    @Test
    void aDecodedBatchGetsTheStoredIdsOfKnownItemsAndNewIdsForNewOnesThatLast() {
        byte[] record = "{\"user\":\"u2\",\"item\":\"b\"}{\"user\":\"u2\",\"item\":\"c\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] u2 = "u2".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Utf8EventBatch batch = new Utf8EventBatch();
        batch.add(u2, record, 21, 22); // b
        batch.add(u2, record, 45, 46); // c
        batch.add(u2, record, 45, 46); // c again
        try (RocksSequenceStore store = openStore(10)) {
            store.append(events("u1", "a", "b"));
            store.denseItemIds(batch);
            assertEquals(List.of(2, 3, 3), List.of(batch.itemIds[0], batch.itemIds[1], batch.itemIds[2]));
        }
        try (RocksSequenceStore store = openStore(10)) {
            assertEquals(3, store.itemId("c"));
            assertEquals(3, store.counts().items());
        }
    }

    @Test
    void itemsUnknownToTheModelAreKeptAndCounted() {
        IdMapping model = new IdMapping();
        model.getOrAdd("a");
        try (RocksSequenceStore store = openStore(10)) {
            store.append(events("u1", "a", "new-1", "new-2"));
            assertEquals(List.of("a", "new-1", "new-2"), store.recentItems("u1", 10));
            assertEquals(2, store.countItemsUnknownTo(model));
        }
    }

    @Test
    void dataOffsetsAndCountsSurviveReopening() {
        try (RocksSequenceStore store = openStore(10)) {
            store.append(events("u1", "a", "b"), List.of(new PartitionOffset("t", 0, 2), new PartitionOffset("t", 3, 7)), 1);
        }
        try (RocksSequenceStore store = openStore(10)) {
            store.append(events("u1", "c"));
            assertEquals(List.of("a", "b", "c"), store.recentItems("u1", 10));
            assertEquals(OptionalLong.of(7), store.storedOffset("t", 3));
            assertEquals(OptionalLong.empty(), store.storedOffset("t", 1));
            assertEquals(OptionalLong.empty(), store.storedOffset("other", 0));
            assertEquals(Map.of(0, 2L, 3, 7L), store.storedOffsets("t"));
            assertEquals(new StoreCounts(1, 3, 3, 1), store.counts());
        }
    }

    @Test
    void readOnlyInstanceSeesASnapshotWhileTheWriterGoesOn() {
        try (RocksSequenceStore writer = openStore(10)) {
            writer.append(events("u1", "a"));
            try (RocksSequenceStore reader = RocksSequenceStore.openReadOnly(dir.resolve("store"))) {
                writer.append(events("u1", "b"));
                assertEquals(List.of("a"), reader.recentItems("u1", 10));
                assertThrows(IllegalStateException.class, () -> reader.append(events("u1", "c")));
            }
        }
    }

    @Test
    void secondaryInstanceFollowsTheWriterOnCatchUp() {
        try (RocksSequenceStore writer = openStore(10)) {
            writer.append(events("u1", "a"));
            try (RocksSequenceStore follower = RocksSequenceStore.openSecondary(dir.resolve("store"), dir.resolve("secondary"))) {
                writer.append(events("u1", "b"));
                writer.append(events("u2", "c"));
                follower.catchUp();
                assertEquals(List.of("a", "b"), follower.recentItems("u1", 10));
                assertEquals(List.of("c"), follower.recentItems("u2", 10));
                assertEquals(new StoreCounts(2, 3, 3, 0), follower.counts());
            }
        }
    }

    @Test
    void readOnlyOpenOfAMissingStoreSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RocksSequenceStore.openReadOnly(dir.resolve("missing")));
        assertTrue(e.getMessage().contains("no sequence store at"), e.getMessage());
    }

    @Test
    void secondWriterIsRefused() {
        try (RocksSequenceStore ignored = openStore(10)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> openStore(10));
            assertTrue(e.getMessage().contains("cannot open sequence store"), e.getMessage());
        }
    }

    @Test
    void exportWritesTheSequenceFormatInOrderOfFirstAppearance() throws Exception {
        Path out = dir.resolve("out/sequences.txt");
        try (RocksSequenceStore store = openStore(10)) {
            store.append(List.of(Interaction.of("u2", "x"), Interaction.of("u10", "y"), Interaction.of("u2", "z")));
            store.append(events("u1", "x"));
            assertEquals(3, store.exportSequences(out));
        }
        assertEquals("u2 x z\nu10 y\nu1 x\n", Files.readString(out));
        try (var files = Files.list(out.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }
}
