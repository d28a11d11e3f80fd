package dev.seqrec.streaming;

import dev.seqrec.eval.data.IdMapping;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A closed store refuses every call, and closing one that other threads are reading never frees what they use. */
class RocksSequenceStoreCloseTest {
    private static final String TOPIC = "events";
    private static final int USERS = 100;
    /** Before close waited for reads, 30 rounds crashed the JVM in 6 runs out of 6 (on 2 cores). */
    private static final int RACE_ROUNDS = 100;
    private static final int RACE_READERS = 3;
    /** Only against a hang: each round is over as soon as its readers have seen the store closed. */
    private static final long RACE_GUARD_MINUTES = 10;

    @TempDir
    Path dir;
    private Path storeDir;

    @BeforeEach
    void writeStore() {
        storeDir = dir.resolve("store");
        try (RocksSequenceStore store = RocksSequenceStore.open(storeDir, StoreConfig.defaults())) {
            for (int u = 0; u < USERS; u++) {
                store.append(List.of(Interaction.of("u" + u, "a"), Interaction.of("u" + u, "b" + u)),
                        List.of(new PartitionOffset(TOPIC, u % 4, u + 1L)), 0);
            }
            store.recordTopicId(TOPIC, "topic-id");
        }
    }

    @FunctionalInterface
    interface StoreCall {
        void on(RocksSequenceStore store) throws Exception;
    }

    /** Each call, on the kind of store it is for: a writer's, or a secondary's (reads and catchUp). */
    static Stream<Arguments> calls() {
        return Stream.of(
                call("recentItems", false, s -> s.recentItems("u1", 5)),
                call("sequenceLength", false, s -> s.sequenceLength("u1")),
                call("storedOffset", false, s -> s.storedOffset(TOPIC, 0)),
                call("storedOffsets", false, s -> s.storedOffsets(TOPIC)),
                call("storedTopicId", false, s -> s.storedTopicId(TOPIC)),
                call("recordTopicId", false, s -> s.recordTopicId(TOPIC, "another-id")),
                call("exportSequences", false, s -> s.exportSequences(s.directory().resolveSibling("export.txt"))),
                call("append", false, s -> s.append(List.of(Interaction.of("u1", "c")))),
                call("append with offsets", false,
                        s -> s.append(List.of(), List.of(new PartitionOffset(TOPIC, 0, 200)), 1)),
                call("newAppender", false, s -> s.newAppender(0)),
                call("itemId", false, s -> s.itemId("a")),
                call("itemVocabulary", false, RocksSequenceStore::itemVocabulary),
                call("countItemsUnknownTo", false, s -> s.countItemsUnknownTo(new IdMapping())),
                call("recentItems on a secondary", true, s -> s.recentItems("u1", 5)),
                call("catchUp on a secondary", true, RocksSequenceStore::catchUp));
    }

    private static Arguments call(String name, boolean secondary, StoreCall call) {
        return Arguments.of(name, secondary, call);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void everyCallAfterCloseSaysTheStoreIsClosed(String name, boolean secondary, StoreCall call) {
        RocksSequenceStore store = secondary
                ? RocksSequenceStore.openSecondary(storeDir, dir.resolve("secondary"))
                : RocksSequenceStore.open(storeDir, StoreConfig.defaults());
        store.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> call.on(store));
        assertEquals("sequence store " + storeDir + " is closed", e.getMessage());
    }

    @Test
    void anAppenderFlushingAfterItsStoreClosedSaysTheStoreIsClosed() {
        RocksSequenceStore store = RocksSequenceStore.open(storeDir, StoreConfig.defaults());
        SequenceAppender appender = store.newAppender(0);
        appender.add(List.of(Interaction.of("u1", "c")));
        store.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, appender::flush);
        assertEquals("sequence store " + storeDir + " is closed", e.getMessage());
    }

    @Test
    void aClosedStoreStillCountsWhatItHeldForMetricsReadDuringShutdown() {
        RocksSequenceStore store = RocksSequenceStore.open(storeDir, StoreConfig.defaults());
        store.append(List.of(Interaction.of("u1", "c"), Interaction.of("u2", "c")));
        StoreCounts before = store.counts();
        store.close();
        assertEquals(before, store.counts());
    }

    @Test
    void closingTwiceIsHarmless() {
        RocksSequenceStore store = RocksSequenceStore.open(storeDir, StoreConfig.defaults());
        store.close();
        store.close();
    }

    /**
     * In a child JVM: a crash there (RocksDB freed under a read) fails this test instead of killing the test run.
     */
    @Test
    void readsRacingCloseAnswerOrSayClosedButNeverCrash() throws Exception {
        Path log = dir.resolve("race.log");
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"), "-XX:-CreateCoredumpOnCrash",
                "-cp", System.getProperty("java.class.path"), CloseRace.class.getName(),
                storeDir.toString(), Integer.toString(RACE_ROUNDS))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean exited = child.waitFor(RACE_GUARD_MINUTES, TimeUnit.MINUTES);
        if (!exited) {
            child.destroyForcibly().waitFor();
        }
        assertTrue(exited, () -> "the race hung:\n" + read(log));
        assertEquals(0, child.exitValue(), () -> "the race failed:\n" + read(log));
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }

    /**
     * {@code storeDir rounds}: each round opens the store, starts readers, closes the store once every reader has
     * read it, and waits for them. Every read must answer, or throw the store's "is closed"; exits 1 naming anything
     * else.
     */
    public static final class CloseRace {
        private CloseRace() {
        }

        public static void main(String[] args) throws Exception {
            Path storeDir = Path.of(args[0]);
            int rounds = Integer.parseInt(args[1]);
            Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            for (int round = 0; round < rounds && failures.isEmpty(); round++) {
                RocksSequenceStore store = RocksSequenceStore.open(storeDir, StoreConfig.defaults());
                CountDownLatch reading = new CountDownLatch(RACE_READERS);
                Thread[] readers = new Thread[RACE_READERS];
                for (int r = 0; r < RACE_READERS; r++) {
                    readers[r] = new Thread(() -> readUntilClosed(store, reading, failures));
                    readers[r].start();
                }
                reading.await();
                store.close();
                for (Thread reader : readers) {
                    reader.join();
                }
            }
            failures.forEach(Throwable::printStackTrace);
            System.exit(failures.isEmpty() ? 0 : 1);
        }

        private static void readUntilClosed(RocksSequenceStore store, CountDownLatch reading, Queue<Throwable> failures) {
            try {
                for (int i = 0; ; i++) {
                    String user = "u" + i % USERS;
                    if (!store.recentItems(user, 5).equals(List.of("a", "b" + i % USERS))
                            || store.sequenceLength(user) != 2 || store.storedOffsets(TOPIC).size() != 4) {
                        throw new AssertionError("wrong answer for " + user);
                    }
                    reading.countDown();
                }
            } catch (IllegalStateException e) {
                if (!e.getMessage().equals("sequence store " + store.directory() + " is closed")) {
                    failures.add(e);
                }
            } catch (Throwable e) {
                failures.add(e);
            } finally {
                reading.countDown(); // a reader that failed at once must not keep close waiting
            }
        }
    }
}
