package dev.seqrec.streaming;

import dev.seqrec.eval.data.IdMapping;
import org.junit.jupiter.api.Test;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.UInt64AddOperator;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /** Java encodes an unpaired surrogate as '?': "bob\ud800" must not read or write user "bob?". */
    @Test
    void idsWithAnUnpairedSurrogateAreRefusedRatherThanTakenForAnotherId() {
        try (RocksSequenceStore store = openStore(10)) {
            store.append(events("bob?", "a?"));
            IllegalArgumentException read = assertThrows(IllegalArgumentException.class,
                    () -> store.recentItems("bob\ud800", 5));
            assertEquals("user id is not valid Unicode (an unpaired surrogate at index 3)", read.getMessage());
            assertThrows(IllegalArgumentException.class, () -> store.itemId("a\udc00"));
            assertThrows(IllegalArgumentException.class, () -> store.append(events("bob\ud800", "b")));
            assertEquals(List.of("a?"), store.recentItems("bob?", 5));
            assertEquals(List.of("x\ud83d\ude00"), appendedAndRead(store, "emoji\ud83d\ude00", "x\ud83d\ude00"));
        }
    }

    private static List<String> appendedAndRead(RocksSequenceStore store, String user, String item) {
        store.append(events(user, item));
        return store.recentItems(user, 5);
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
    void theLargestCapKeepsEveryItemAsItsTailGrows() {
        try (RocksSequenceStore store = openStore(StoreConfig.LARGEST_MAX_SEQUENCE_LENGTH)) {
            store.append(events("u", "a", "b", "c", "d", "e"));
            assertEquals(List.of("a", "b", "c", "d", "e"), store.recentItems("u", 10));
        }
    }

    @Test
    void aCapBeyondWhatOneValueHoldsIsRefusedNamingTheLimit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StoreConfig.defaults().withMaxSequenceLength(StoreConfig.LARGEST_MAX_SEQUENCE_LENGTH + 1));
        assertEquals("maxSequenceLength must be between 1 and 16777216, got 16777217", e.getMessage());
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
    void appendingToAReadOnlyStoreIsRefusedSayingItIsReadOnly() {
        Path storeDir = dir.resolve("store");
        try (RocksSequenceStore writer = openStore(10)) {
            writer.append(events("u1", "a"));
        }
        try (RocksSequenceStore reader = RocksSequenceStore.openReadOnly(storeDir)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> reader.append(events("u1", "b")));
            assertEquals("sequence store " + storeDir + " is open read-only", e.getMessage());
            assertEquals(List.of("a"), reader.recentItems("u1", 10));
        }
    }

    @Test
    void catchUpOnAWritableStoreIsRefusedNamingOpenSecondary() {
        try (RocksSequenceStore writer = openStore(10)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, writer::catchUp);
            assertEquals("catchUp() is for stores opened with openSecondary", e.getMessage());
        }
    }

    @Test
    void catchUpOnAReadOnlyStoreIsRefusedNamingOpenSecondary() {
        openStore(10).close();
        try (RocksSequenceStore reader = RocksSequenceStore.openReadOnly(dir.resolve("store"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, reader::catchUp);
            assertEquals("catchUp() is for stores opened with openSecondary", e.getMessage());
        }
    }

    @Test
    void askingForANegativeNumberOfRecentItemsIsRefused() {
        try (RocksSequenceStore store = openStore(10)) {
            store.append(events("u1", "a"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.recentItems("u1", -1));
            assertEquals("n must not be negative, got -1", e.getMessage());
        }
    }

    @Test
    void zeroRecentItemsAreNone() {
        try (RocksSequenceStore store = openStore(10)) {
            store.append(events("u1", "a"));
            assertEquals(List.of(), store.recentItems("u1", 0));
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
            assertEquals("sequence store " + dir.resolve("store") + " is already open for writing in this process",
                    e.getMessage());
        }
    }

    @Test
    void aFileWhereTheStoreShouldBeIsNamedAsSuch() throws Exception {
        Path file = Files.createFile(dir.resolve("store"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> openStore(10));
        assertEquals("cannot open sequence store " + file + ": " + file + " is a file, not a directory", e.getMessage());
    }

    @Test
    void aStoreReopenedWithoutAMaxLengthKeepsTheOneItWasCreatedWith() {
        try (RocksSequenceStore store = openStore(300)) {
            store.append(events("u1", items(250)));
        }
        try (RocksSequenceStore store = RocksSequenceStore.open(dir.resolve("store"), StoreConfig.defaults())) {
            assertEquals(300, store.maxSequenceLength());
            store.append(events("u1", "new"));
            assertEquals(251, store.sequenceLength("u1"), "nothing cut to the default of 200");
            assertEquals("i0", store.recentItems("u1", 300).get(0));
        }
        try (RocksSequenceStore reader = RocksSequenceStore.openReadOnly(dir.resolve("store"))) {
            assertEquals(300, reader.maxSequenceLength());
        }
    }

    @Test
    void aStoreOpenedWithAnotherMaxLengthThanItWasCreatedWithIsRefusedNamingItsOwn() {
        try (RocksSequenceStore store = openStore(300)) {
            store.append(events("u1", items(250)));
        }
        Path storeDir = dir.resolve("store");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> openStore(200));
        assertEquals("sequence store " + storeDir + " keeps each user's last 300 items (fixed when it was created), "
                + "not 200: pass --max-length 300, or use a new store", e.getMessage());
        try (RocksSequenceStore store = openStore(300)) { // the refused open let go of the store
            assertEquals(250, store.sequenceLength("u1"));
        }
    }

    @Test
    void aFollowerTakesTheStoresMaxLengthAndIsRefusedAnotherOne() {
        openStore(300).close();
        Path storeDir = dir.resolve("store");
        try (RocksSequenceStore follower = RocksSequenceStore.openSecondary(storeDir, dir.resolve("secondary"))) {
            assertEquals(300, follower.maxSequenceLength());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RocksSequenceStore
                .openSecondary(storeDir, dir.resolve("secondary"), StoreConfig.defaults().withMaxSequenceLength(200)));
        assertEquals("sequence store " + storeDir + " keeps each user's last 300 items (fixed when it was created), "
                + "not 200: pass --max-length 300, or use a new store", e.getMessage());
        try (RocksSequenceStore follower = RocksSequenceStore.openSecondary(storeDir, dir.resolve("secondary"),
                StoreConfig.defaults().withMaxSequenceLength(300))) {
            assertEquals(300, follower.maxSequenceLength());
        }
    }

    @Test
    void aStoreWrittenBeforeMaxLengthsWereRecordedRecordsTheOneItIsNextOpenedWith() throws Exception {
        Path storeDir = dir.resolve("store");
        try (RocksSequenceStore store = openStore(300)) {
            store.append(events("u1", items(250)));
        }
        forgetRecordedMaxLength(storeDir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RocksSequenceStore.open(storeDir, StoreConfig.defaults()));
        assertEquals("sequence store " + storeDir + " has no recorded max length (an earlier seqrec wrote it) and "
                + "holds histories of up to 250 items, more than 200: give the --max-length it was ingested with",
                e.getMessage());
        try (RocksSequenceStore store = openStore(300)) {
            assertEquals(250, store.sequenceLength("u1"));
        }
        try (RocksSequenceStore store = RocksSequenceStore.open(storeDir, StoreConfig.defaults())) {
            assertEquals(300, store.maxSequenceLength(), "recorded by the open that gave it");
        }
    }

    @Test
    void aStoreWrittenBeforeMaxLengthsWereRecordedWithShortHistoriesTakesTheDefault() throws Exception {
        Path storeDir = dir.resolve("store");
        try (RocksSequenceStore store = openStore(10)) {
            store.append(events("u1", "a", "b"));
        }
        forgetRecordedMaxLength(storeDir);
        try (RocksSequenceStore store = RocksSequenceStore.open(storeDir, StoreConfig.defaults())) {
            assertEquals(StoreConfig.DEFAULT_MAX_SEQUENCE_LENGTH, store.maxSequenceLength());
            assertEquals(List.of("a", "b"), store.recentItems("u1", 10));
        }
        assertThrows(IllegalArgumentException.class, () -> openStore(10));
    }

    private static String[] items(int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> "i" + i).toArray(String[]::new);
    }

    /** Makes the store look like one written before seqrec recorded a store's max length. */
    private static void forgetRecordedMaxLength(Path storeDir) throws RocksDBException {
        try (UInt64AddOperator counterAdd = new UInt64AddOperator();
             ColumnFamilyOptions counters = new ColumnFamilyOptions().setMergeOperator(counterAdd);
             DBOptions options = new DBOptions()) {
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY));
            for (String family : List.of("sequences", "user_ids", "item_ids", "offsets")) {
                descriptors.add(new ColumnFamilyDescriptor(family.getBytes(StandardCharsets.UTF_8)));
            }
            descriptors.add(new ColumnFamilyDescriptor("meta".getBytes(StandardCharsets.UTF_8), counters));
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            try (RocksDB db = RocksDB.open(options, storeDir.toString(), descriptors, handles)) {
                db.delete(handles.get(5), "max-length".getBytes(StandardCharsets.UTF_8));
                handles.forEach(ColumnFamilyHandle::close);
            }
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
