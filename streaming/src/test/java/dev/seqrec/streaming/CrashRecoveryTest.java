package dev.seqrec.streaming;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The consumer runs as a separate JVM and is killed with SIGKILL at random moments, while events flow or while it
 * works off a backlog with appends coalesced in memory; after a last run that ends with SIGTERM, every event is in
 * the store exactly once, in order.
 */
@ExtendWith(TestKafka.class)
class CrashRecoveryTest {
    private static final int USERS = 200;
    private static final int PARTITIONS = 3;
    private static final int KILLS = 4;
    private static final int EVENTS_PER_TICK = 100;
    private static final long TICK_MILLIS = 20;
    private static final int UNCAPPED = 1_000_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int BACKLOG_EVENTS = 200_000;
    private static final int BACKLOG_KILLS = 3;
    private static final int BACKLOG_FLUSH_MILLIS = 100;
    /*
     * The killed consumers' throttle: at most 500 events per 20 ms, so that a flush interval coalesces a few polls
     * and a kill a few hundred milliseconds after the first store lands with appends pending in memory; and at most
     * 20,000 events a run (plus a poll), so that the kills leave most of the backlog whatever the machine's speed.
     */
    private static final int THROTTLE_RECORDS_PER_POLL = 500;
    private static final int THROTTLE_PAUSE_MILLIS = 20;
    private static final int THROTTLE_RECORDS_PER_RUN = 20_000;

    @TempDir
    Path dir;

    @Test
    void storeHoldsEveryEventExactlyOnceInOrderAfterRepeatedSigkills() throws Exception {
        String topic = TestKafka.newTopic(PARTITIONS);
        Path storeDir = dir.resolve("store");
        AtomicIntegerArray produced = new AtomicIntegerArray(USERS);
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread producer = new Thread(() -> produceUntilStopped(topic, produced, producing), "crash-test-producer");
        producer.start();
        Random random = new Random(42);
        try {
            for (int kill = 0; kill < KILLS; kill++) {
                long before = storedEvents(storeDir, topic);
                Process child = startChild(topic, storeDir, IngestConfig.DEFAULT_FLUSH_INTERVAL_MILLIS, false);
                try {
                    awaitStoredBeyond(before, "new events", child, storeDir, topic);
                    Thread.sleep(random.nextInt(400));
                } finally {
                    child.destroyForcibly(); // SIGKILL
                    child.waitFor();
                }
            }
        } finally {
            producing.set(false);
            producer.join();
        }
        long total = 0;
        for (int u = 0; u < USERS; u++) {
            total += produced.get(u);
        }
        catchUpStopAndCheck(topic, storeDir, total, produced, IngestConfig.DEFAULT_FLUSH_INTERVAL_MILLIS);
    }

    @Test
    void storeHoldsEveryEventExactlyOnceInOrderAfterSigkillsWhileABacklogIsCoalesced() throws Exception {
        String topic = TestKafka.newTopic(PARTITIONS);
        Path storeDir = dir.resolve("store");
        AtomicIntegerArray produced = new AtomicIntegerArray(USERS);
        Random random = new Random(11);
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            for (int e = 0; e < BACKLOG_EVENTS; e++) {
                int user = random.nextInt(USERS);
                TestKafka.sendEvent(producer, topic, "u" + user, "i" + produced.getAndIncrement(user));
            }
        }
        for (int kill = 0; kill < BACKLOG_KILLS; kill++) {
            long before = storedEvents(storeDir, topic);
            Process child = startChild(topic, storeDir, BACKLOG_FLUSH_MILLIS, true);
            try {
                awaitStoredBeyond(before, "a share of the backlog", child, storeDir, topic);
                Thread.sleep(random.nextInt(2 * BACKLOG_FLUSH_MILLIS));
            } finally {
                child.destroyForcibly(); // SIGKILL
                child.waitFor();
            }
        }
        // Each killed run took at most THROTTLE_RECORDS_PER_RUN events (and a poll): the last run has a backlog too
        assertTrue(storedEvents(storeDir, topic) < BACKLOG_EVENTS, "the kills came before the backlog was worked off");
        catchUpStopAndCheck(topic, storeDir, BACKLOG_EVENTS, produced, BACKLOG_FLUSH_MILLIS);
    }

    /** A last consumer run until every event is stored, stopped by SIGTERM; then checks every user's sequence. */
    private void catchUpStopAndCheck(String topic, Path storeDir, long expected, AtomicIntegerArray produced,
                                     long flushMillis) throws Exception {
        Process child = startChild(topic, storeDir, flushMillis, false);
        try {
            // The store may already hold every event (the last kill came after the last one was produced): a SIGTERM
            // sent before the child has installed its shutdown hook would test nothing, so wait for its first line.
            TestKafka.await("the consumer to start", TIMEOUT,
                    () -> childLogContains("ingest " + topic + " from"));
            TestKafka.await("the consumer to catch up", TIMEOUT, () -> storedEvents(storeDir, topic) == expected);
        } finally {
            child.destroy(); // SIGTERM: graceful
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the consumer stops on SIGTERM");
        }
        assertEquals(143, child.exitValue(), "exit status of a JVM stopped by SIGTERM");
        assertTrue(Files.readString(dir.resolve("child.log")).contains("stopped cleanly"), "graceful shutdown ran");

        try (RocksSequenceStore store = RocksSequenceStore.openReadOnly(storeDir)) {
            assertEquals(expected, store.counts().events());
            for (int u = 0; u < USERS; u++) {
                List<String> items = new ArrayList<>();
                for (int i = 0; i < produced.get(u); i++) {
                    items.add("i" + i);
                }
                assertEquals(items, store.recentItems("u" + u, UNCAPPED), "sequence of u" + u);
            }
        }
    }

    /** Waits until the store holds more than {@code before} events; fails at once if the consumer exits. */
    private void awaitStoredBeyond(long before, String what, Process child, Path storeDir, String topic)
            throws Exception {
        try {
            TestKafka.await("the consumer to store " + what, TIMEOUT, () -> {
                if (!child.isAlive()) {
                    throw new AssertionError("the consumer exited with status " + child.exitValue());
                }
                return storedEvents(storeDir, topic) > before;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; its log:\n" + Files.readString(dir.resolve("child.log")), e);
        }
    }

    private boolean childLogContains(String text) {
        try {
            return Files.readString(dir.resolve("child.log")).contains(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Events consumed according to the store's own offsets (the sum of next offsets = events when nothing is bad). */
    private static long storedEvents(Path storeDir, String topic) {
        if (!storeDir.resolve("CURRENT").toFile().exists()) {
            return 0;
        }
        try (RocksSequenceStore store = RocksSequenceStore.openReadOnly(storeDir)) {
            Map<Integer, Long> offsets = store.storedOffsets(topic);
            return offsets.values().stream().mapToLong(Long::longValue).sum();
        } catch (IllegalStateException | IllegalArgumentException writerBusy) {
            return 0;
        }
    }

    private static void produceUntilStopped(String topic, AtomicIntegerArray produced, AtomicBoolean producing) {
        Random random = new Random(7);
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            while (producing.get()) {
                for (int e = 0; e < EVENTS_PER_TICK; e++) {
                    int user = random.nextInt(USERS);
                    TestKafka.sendEvent(producer, topic, "u" + user, "i" + produced.getAndIncrement(user));
                }
                producer.flush();
                Thread.sleep(TICK_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Process startChild(String topic, Path storeDir, long flushMillis, boolean throttled) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), IngestChildProcess.class.getName(),
                TestKafka.bootstrap(), topic, storeDir.toString(), Integer.toString(UNCAPPED), Long.toString(flushMillis),
                "earliest"));
        if (throttled) {
            command.addAll(List.of(Integer.toString(THROTTLE_RECORDS_PER_POLL), Integer.toString(THROTTLE_PAUSE_MILLIS),
                    Integer.toString(THROTTLE_RECORDS_PER_RUN)));
        }
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile())
                .start();
    }
}
