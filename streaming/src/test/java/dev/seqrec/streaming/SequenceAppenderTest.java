package dev.seqrec.streaming;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ingest writers' coalescing appender, against a real RocksDB store. */
class SequenceAppenderTest {
    private static final long CACHE_BYTES = 1 << 20;

    @TempDir
    Path dir;

    private RocksSequenceStore openStore(int cap) {
        return RocksSequenceStore.open(dir.resolve("store"), StoreConfig.defaults().withMaxSequenceLength(cap));
    }

    private static List<Interaction> events(String user, String... items) {
        return Arrays.stream(items).map(item -> Interaction.of(user, item)).toList();
    }

    @Test
    void appendsCoalescedOverSeveralBatchesKeepEachUsersOrderAndTheCap() {
        try (RocksSequenceStore store = openStore(3)) {
            SequenceAppender appender = store.newAppender(CACHE_BYTES);
            appender.add(List.of(Interaction.of("u1", "a"), Interaction.of("u2", "x"), Interaction.of("u1", "b")));
            appender.add(events("u1", "c", "d"));
            appender.add(events("u2", "y"));
            appender.flush();
            assertEquals(List.of("b", "c", "d"), store.recentItems("u1", 10));
            assertEquals(List.of("x", "y"), store.recentItems("u2", 10));
            assertEquals(new StoreCounts(2, 6, 6, 0), store.counts());
        }
    }

    @Test
    void nothingIsVisibleBeforeTheFlushAndTheOffsetsLandWithTheData() {
        try (RocksSequenceStore store = openStore(10)) {
            SequenceAppender appender = store.newAppender(CACHE_BYTES);
            appender.add(events("u1", "a", "b"));
            appender.consumed(new PartitionOffset("t", 0, 2));
            appender.rejected(1);
            assertEquals(List.of(), store.recentItems("u1", 10));
            assertEquals(OptionalLong.empty(), store.storedOffset("t", 0));
            assertEquals(0, store.counts().events());
            appender.flush();
            assertEquals(List.of("a", "b"), store.recentItems("u1", 10));
            assertEquals(Map.of(0, 2L), store.storedOffsets("t"));
            assertEquals(new StoreCounts(1, 2, 2, 1), store.counts());
        }
    }

    @Test
    void cachedTailsContinueAcrossFlushesLikeTheStoredSequences() {
        try (RocksSequenceStore store = openStore(4)) {
            SequenceAppender appender = store.newAppender(CACHE_BYTES);
            appender.add(events("u1", "a", "b", "c"));
            appender.flush();
            appender.add(events("u1", "d", "e"));
            appender.flush();
            assertEquals(List.of("b", "c", "d", "e"), store.recentItems("u1", 10));
            assertEquals(1, store.counts().users());
        }
    }

    @Test
    void aNewAppenderAfterReopeningContinuesTheStoredSequences() {
        try (RocksSequenceStore store = openStore(4)) {
            SequenceAppender appender = store.newAppender(CACHE_BYTES);
            appender.add(events("u1", "a", "b", "c"));
            appender.flush();
        }
        try (RocksSequenceStore store = openStore(4)) {
            SequenceAppender appender = store.newAppender(CACHE_BYTES);
            appender.add(events("u1", "d", "e"));
            appender.add(events("u2", "z"));
            appender.flush();
            assertEquals(List.of("b", "c", "d", "e"), store.recentItems("u1", 10));
            assertEquals(new StoreCounts(2, 6, 6, 0), store.counts());
        }
    }

    @Test
    void afterForgettingItReadsWhatAnotherWriterStoredMeanwhile() {
        try (RocksSequenceStore store = openStore(10)) {
            SequenceAppender appender = store.newAppender(CACHE_BYTES);
            appender.add(events("u1", "a"));
            appender.flush();
            appender.forget(); // as on a rebalance: u1's partition goes elsewhere and comes back
            store.append(events("u1", "b"));
            appender.add(events("u1", "c"));
            appender.flush();
            assertEquals(List.of("a", "b", "c"), store.recentItems("u1", 10));
        }
    }

    @Test
    void anAppenderOverItsCacheBudgetStillStoresEveryEvent() {
        try (RocksSequenceStore store = openStore(10)) {
            SequenceAppender appender = store.newAppender(0);
            appender.add(events("u1", "a", "b"));
            appender.flush();
            appender.add(events("u1", "c"));
            appender.flush();
            assertEquals(List.of("a", "b", "c"), store.recentItems("u1", 10));
        }
    }

    @Test
    void usersAreExportedInOrderOfFirstAppearanceAcrossCoalescedBatches() throws Exception {
        try (RocksSequenceStore store = openStore(10)) {
            SequenceAppender appender = store.newAppender(CACHE_BYTES);
            appender.add(List.of(Interaction.of("u2", "x"), Interaction.of("u1", "a")));
            appender.add(List.of(Interaction.of("u3", "y"), Interaction.of("u2", "z")));
            appender.flush();
            Path out = dir.resolve("export.txt");
            store.exportSequences(out);
            assertEquals(List.of("u2 x z", "u1 a", "u3 y"), java.nio.file.Files.readAllLines(out));
        }
    }

    @Test
    void aStoreOpenedEmptySkipsReadingUsersItNeverWroteAndStillReadsThoseItDid() {
        try (RocksSequenceStore store = openStore(10)) {
            assertTrue(store.skipsReadsOfUnwrittenUsers());
            SequenceAppender first = store.newAppender(CACHE_BYTES);
            first.add(events("u1", "a", "b"));
            first.flush();
            SequenceAppender second = store.newAppender(CACHE_BYTES); // knows no tails, as after a rebalance
            second.add(List.of(Interaction.of("u1", "c"), Interaction.of("u2", "x")));
            second.flush();
            assertEquals(List.of("a", "b", "c"), store.recentItems("u1", 10));
            assertEquals(List.of("x"), store.recentItems("u2", 10));
            assertEquals(2, store.counts().users());
        }
    }

    @Test
    void aStoreThatHeldUsersWhenOpenedReadsEveryUsersFirstEvent() {
        try (RocksSequenceStore store = openStore(10)) {
            store.append(events("u1", "a"));
        }
        try (RocksSequenceStore store = openStore(10)) {
            assertFalse(store.skipsReadsOfUnwrittenUsers());
            store.append(events("u1", "b"));
            assertEquals(List.of("a", "b"), store.recentItems("u1", 10));
        }
    }

    @Test
    void beyondTheFilterCapacityUsersAreReadAgain() {
        // 8 bytes: one word, room for 4 users
        StoreConfig config = StoreConfig.defaults().withWrittenUsersFilterBytes(8);
        try (RocksSequenceStore store = RocksSequenceStore.open(dir.resolve("store"), config)) {
            SequenceAppender first = store.newAppender(CACHE_BYTES);
            first.add(List.of(Interaction.of("u1", "a"), Interaction.of("u2", "a"), Interaction.of("u3", "a")));
            first.flush();
            assertTrue(store.skipsReadsOfUnwrittenUsers());
            first.add(List.of(Interaction.of("u4", "a"), Interaction.of("u5", "a")));
            first.flush();
            assertFalse(store.skipsReadsOfUnwrittenUsers());
            SequenceAppender second = store.newAppender(CACHE_BYTES);
            second.add(List.of(Interaction.of("u1", "b"), Interaction.of("u5", "b"), Interaction.of("u6", "b")));
            second.flush();
            assertEquals(List.of("a", "b"), store.recentItems("u1", 10));
            assertEquals(List.of("a", "b"), store.recentItems("u5", 10));
            assertEquals(List.of("b"), store.recentItems("u6", 10));
            assertEquals(6, store.counts().users());
        }
    }

    @Test
    void aFilterOfNoBytesIsOff() {
        StoreConfig config = StoreConfig.defaults().withWrittenUsersFilterBytes(0);
        try (RocksSequenceStore store = RocksSequenceStore.open(dir.resolve("store"), config)) {
            assertFalse(store.skipsReadsOfUnwrittenUsers());
        }
    }
}
