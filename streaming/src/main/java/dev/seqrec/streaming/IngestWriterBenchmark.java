package dev.seqrec.streaming;

import dev.seqrec.report.ProgressBar;
import org.apache.kafka.common.utils.Utils;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The ingest writers' work alone, without Kafka: the events {@link IngestBenchmark} produces (same generator, same
 * partitioner) are made once in memory; then each pass decodes, appends and flushes them into a fresh store, one
 * thread per partition as the ingest writers do, and measures each thread's CPU per part. Steadier than the full
 * benchmark (no broker, no consumer, less for the JIT compiler to work through), so it tells small changes to the
 * writers apart.
 */
public final class IngestWriterBenchmark {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * @param events      events made once and stored by every pass
     * @param users       distinct users (uniformly drawn)
     * @param items       distinct items (uniformly drawn)
     * @param partitions  partitions the events are spread over by their key, one writer thread each
     * @param batchEvents events a writer decodes and appends at a time (a partition's share of a poll)
     * @param passes      passes, each into a fresh store
     * @param seed        random seed of the generated events
     */
    public record Settings(long events, int users, int items, int partitions, int batchEvents, int passes, long seed) {
        public Settings {
            if (events < 1 || users < 1 || items < 1 || partitions < 1 || batchEvents < 1 || passes < 1) {
                throw new IllegalArgumentException("events, users, items, partitions, batch events and passes must be "
                        + "positive");
            }
            if (events > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("at most " + Integer.MAX_VALUE + " events are kept in memory");
            }
        }
    }

    /** One pass: wall time, and the writer threads' CPU per event for decoding, appending and flushing. */
    public record Pass(int pass, long events, double seconds, double decodeMicrosPerEvent,
                       double appendMicrosPerEvent, double flushMicrosPerEvent) {
        public double totalMicrosPerEvent() {
            return decodeMicrosPerEvent + appendMicrosPerEvent + flushMicrosPerEvent;
        }
    }

    private IngestWriterBenchmark() {
    }

    public static List<Pass> run(Settings settings, Path workDir) throws IOException, InterruptedException {
        List<List<byte[][]>> byPartition = events(settings);
        InteractionEventCodec codec = new InteractionEventCodec(InteractionEventCodec.DEFAULT_MAX_ID_BYTES);
        List<Pass> passes = new ArrayList<>();
        ExecutorService writers = Executors.newFixedThreadPool(settings.partitions());
        try (ProgressBar bar = ProgressBar.start("writer passes", settings.passes())) {
            for (int pass = 1; pass <= settings.passes(); pass++) {
                Path storeDir = workDir.resolve("store-" + pass);
                try (RocksSequenceStore store = RocksSequenceStore.open(storeDir, StoreConfig.defaults())) {
                    passes.add(pass(settings, pass, byPartition, codec, store, writers));
                } finally {
                    IngestBenchmark.deleteRecursively(storeDir);
                }
                bar.step();
            }
        } finally {
            writers.shutdownNow();
        }
        return passes;
    }

    /** Each partition's (key, value) records, in production order. */
    private static List<List<byte[][]>> events(Settings settings) {
        List<List<byte[][]>> byPartition = new ArrayList<>();
        for (int p = 0; p < settings.partitions(); p++) {
            byPartition.add(new ArrayList<>());
        }
        SplittableRandom random = new SplittableRandom(settings.seed());
        long ts = System.currentTimeMillis();
        try (ProgressBar bar = ProgressBar.start("events", settings.events())) {
            for (long e = 0; e < settings.events(); e++) {
                Interaction event = IngestBenchmark.event(random, settings.users(), settings.items(), ts + e);
                byte[] key = event.user().getBytes(StandardCharsets.UTF_8);
                // Kafka's default partitioner for keyed records
                int partition = Utils.toPositive(Utils.murmur2(key)) % settings.partitions();
                byPartition.get(partition).add(new byte[][] {key, InteractionEventCodec.encode(event)});
                bar.step();
            }
        }
        return byPartition;
    }

    private static Pass pass(Settings settings, int pass, List<List<byte[][]>> byPartition, InteractionEventCodec codec,
                             RocksSequenceStore store, ExecutorService writers) throws InterruptedException {
        long cacheBytesPerWriter = store.appendCacheBytes() / settings.partitions();
        List<Future<long[]>> parts = new ArrayList<>();
        long start = System.nanoTime();
        for (int p = 0; p < settings.partitions(); p++) {
            List<byte[][]> records = byPartition.get(p);
            int partition = p;
            parts.add(writers.submit(() -> write(records, partition, settings.batchEvents(), codec,
                    store.newAppender(cacheBytesPerWriter))));
        }
        long[] cpu = new long[Part.values().length];
        for (Future<long[]> part : parts) {
            try {
                long[] threadCpu = part.get();
                for (int k = 0; k < cpu.length; k++) {
                    cpu[k] += threadCpu[k];
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException("writer pass failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (store.counts().events() != settings.events()) {
            throw new IllegalStateException("the pass stored " + store.counts().events() + " events, expected "
                    + settings.events());
        }
        double perEvent = 1e3 * settings.events();
        return new Pass(pass, settings.events(), seconds, cpu[Part.DECODE.ordinal()] / perEvent,
                cpu[Part.APPEND.ordinal()] / perEvent, cpu[Part.FLUSH.ordinal()] / perEvent);
    }

    private enum Part { DECODE, APPEND, FLUSH }

    /** One writer's work, as {@link InteractionIngestor}'s writers do it; returns its CPU nanoseconds per part. */
    private static long[] write(List<byte[][]> records, int partition, int batchEvents, InteractionEventCodec codec,
                                SequenceAppender appender) throws MalformedEventException {
        long[] cpu = new long[Part.values().length];
        Utf8EventBatch batch = new Utf8EventBatch();
        for (int from = 0; from < records.size(); from += batchEvents) {
            int to = Math.min(records.size(), from + batchEvents);
            long decodeStart = THREADS.getCurrentThreadCpuTime();
            for (int r = from; r < to; r++) {
                codec.decodeInto(records.get(r)[0], records.get(r)[1], 0, batch);
            }
            long appendStart = THREADS.getCurrentThreadCpuTime();
            appender.add(batch);
            batch.clear();
            appender.consumed(new PartitionOffset("bench", partition, to));
            long appendEnd = THREADS.getCurrentThreadCpuTime();
            cpu[Part.DECODE.ordinal()] += appendStart - decodeStart;
            cpu[Part.APPEND.ordinal()] += appendEnd - appendStart;
        }
        long flushStart = THREADS.getCurrentThreadCpuTime();
        appender.flush();
        cpu[Part.FLUSH.ordinal()] += THREADS.getCurrentThreadCpuTime() - flushStart;
        return cpu;
    }
}
