package dev.seqrec.streaming;

import dev.seqrec.report.DirectoryTree;
import dev.seqrec.report.ProgressBar;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Measures, on one broker and one topic, how fast a bare Kafka consumer reads the events (poll and touch every
 * value, nothing else) and how fast {@link InteractionIngestor} stores them (decode, id mapping, appends coalesced
 * per user in memory and written to RocksDB with the offsets in the same batch). Both read the same pre-produced events from the beginning, one after the other, in
 * alternating rounds; each path's clock starts when its consumer receives the first records (seen by the same
 * {@link FirstRecordClock} in both) and stops at the last event counted (raw) or stored (ingest). Connecting and
 * fetching metadata, which the raw consumer used to do on its clock and the ingest consumer before its clock (while
 * joining its group), are part of neither.
 */
public final class IngestBenchmark {
    /** How often the stored count is sampled for the timing and the chart. */
    private static final long SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final Duration POLL = Duration.ofMillis(100);
    /** Linux's per-thread accounting, and what it names the JIT compiler threads (names are cut at 15 bytes). */
    private static final Path PROCESS_THREADS = Path.of("/proc/self/task");
    private static final List<String> COMPILER_THREAD_NAMES = List.of("C1 CompilerThre", "C2 CompilerThre");
    /** Fields utime and stime of /proc/[pid]/task/[tid]/stat, counted from the field after the command. */
    private static final int STAT_UTIME_AFTER_COMMAND = 11;
    private static final int STAT_STIME_AFTER_COMMAND = 12;
    /** Linux's USER_HZ, the unit of utime and stime. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;
    private static final int PRODUCER_BATCH_BYTES = 512 * 1024;
    private static final int PRODUCER_LINGER_MS = 10;

    /**
     * @param bootstrapServers broker to use, or null to start one in this process
     * @param events           events produced once and read by every measurement
     * @param users            distinct users (uniformly drawn)
     * @param items            distinct items (uniformly drawn)
     * @param partitions       partitions of the benchmark topic
     * @param warmupRounds     unreported raw-then-ingest rounds over the same events first, so that both measured
     *                         paths run JIT-compiled code: what runs a few times per pass (joining the group, opening
     *                         and flushing the store, rolling the broker's log) gets hot only over several full-size
     *                         passes, and until then the compiler threads take CPU from the measured ones
     * @param rounds           raw-then-ingest rounds
     * @param timeout          limit for one measurement
     * @param seed             random seed of the generated events
     * @param flushInterval    the ingest path's {@link IngestConfig#flushInterval()}
     */
    public record Settings(String bootstrapServers, long events, int users, int items, int partitions,
                           int warmupRounds, int rounds, Duration timeout, long seed, Duration flushInterval) {
        public Settings {
            if (events < 1 || users < 1 || items < 1 || partitions < 1 || rounds < 1) {
                throw new IllegalArgumentException("events, users, items, partitions and rounds must be positive");
            }
            if (warmupRounds < 0) {
                throw new IllegalArgumentException("warm-up rounds must not be negative");
            }
            Objects.requireNonNull(timeout, "timeout");
            if (flushInterval.isNegative()) {
                throw new IllegalArgumentException("the flush interval must not be negative");
            }
        }
    }

    /**
     * One measured pass over every event: {@code samples} are (seconds since start, events done); {@code cpuSeconds}
     * is this process's CPU time over the pass (all threads, the in-process broker's included), a figure that the
     * other jobs of a shared machine disturb less than the wall-clock rate. {@code consumerCpuSeconds} is the CPU of
     * the thread that polls, {@code writerCpuSeconds} that of the ingest writer threads (0 for the raw consumer);
     * the rest is the broker, the JIT compiler and the garbage collector. {@code jitCpuSeconds} is the CPU of the
     * JIT compiler threads during the pass (0 where Linux's accounting is not available): on a small machine the
     * compiler, still working through the broker's code and what each pass makes hot, takes it from the pass.
     */
    public record Pass(String path, int round, long events, double seconds, double cpuSeconds,
                       double consumerCpuSeconds, double writerCpuSeconds, double jitCpuSeconds,
                       List<double[]> samples) {
        public double eventsPerSecond() {
            return events / seconds;
        }

        public double cpuMicrosPerEvent() {
            return cpuSeconds * 1e6 / events;
        }

        public double consumerCpuMicrosPerEvent() {
            return consumerCpuSeconds * 1e6 / events;
        }

        public double writerCpuMicrosPerEvent() {
            return writerCpuSeconds * 1e6 / events;
        }
    }

    /** Every pass, the production rate and where the broker ran. */
    public record Result(Settings settings, String broker, double produceEventsPerSecond, List<Pass> passes) {
        public double best(String path) {
            return passes.stream().filter(p -> p.path().equals(path)).mapToDouble(Pass::eventsPerSecond).max().orElse(0);
        }

        public double bestCpu(String path) {
            return passes.stream().filter(p -> p.path().equals(path)).mapToDouble(Pass::cpuMicrosPerEvent).min().orElse(0);
        }

        /**
         * Ingest rate over raw rate within each measured round that has both, in round order: each pair ran back to
         * back, so it shares the machine's load of the moment, which the best passes of a run need not.
         */
        public double[] roundRatios() {
            Map<Integer, Double> raw = new TreeMap<>();
            Map<Integer, Double> ingest = new TreeMap<>();
            for (Pass pass : passes) {
                (pass.path().equals(RAW) ? raw : ingest).put(pass.round(), pass.eventsPerSecond());
            }
            return raw.entrySet().stream().filter(e -> ingest.containsKey(e.getKey()))
                    .mapToDouble(e -> ingest.get(e.getKey()) / e.getValue()).toArray();
        }

        /** The median of {@link #roundRatios()}, NaN without a complete round. */
        public double medianRoundRatio() {
            double[] ratios = roundRatios();
            if (ratios.length == 0) {
                return Double.NaN;
            }
            Arrays.sort(ratios);
            int middle = ratios.length / 2;
            return ratios.length % 2 == 1 ? ratios[middle] : (ratios[middle - 1] + ratios[middle]) / 2;
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static final String RAW = "raw consumer";
    public static final String INGEST = "ingest (decode + RocksDB)";

    private IngestBenchmark() {
    }

    public static Result run(Settings settings, Path workDir) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        LocalKafkaBroker broker = null;
        String bootstrap = settings.bootstrapServers();
        String where = bootstrap;
        try {
            if (bootstrap == null) {
                broker = LocalKafkaBroker.start(BrokerConfig.onFreePort(workDir.resolve("broker")));
                bootstrap = broker.bootstrapServers();
                where = "in-process broker " + bootstrap;
            }
            String topic = "seqrec-bench-" + UUID.randomUUID();
            KafkaTopics.ensure(bootstrap, topic, settings.partitions(), (short) 1);
            double produceRate = produce(settings, bootstrap, topic);
            for (int round = 1; round <= settings.warmupRounds(); round++) {
                rawPass(settings, bootstrap, topic, -round);
                Path store = workDir.resolve("store-warmup-" + round);
                ingestPass(settings, bootstrap, topic, -round, store);
                deleteRecursively(store); // of no use after its pass: the run holds one store at a time
            }
            List<Pass> passes = new ArrayList<>();
            for (int round = 1; round <= settings.rounds(); round++) {
                passes.add(rawPass(settings, bootstrap, topic, round));
                Path store = workDir.resolve("store-" + round);
                passes.add(ingestPass(settings, bootstrap, topic, round, store));
                deleteRecursively(store);
            }
            return new Result(settings, where, produceRate, passes);
        } finally {
            if (broker != null) {
                broker.close();
            }
            deleteRecursively(workDir);
        }
    }

    private static double produce(Settings settings, String bootstrap, String topic) throws IOException {
        SplittableRandom random = new SplittableRandom(settings.seed());
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.BATCH_SIZE_CONFIG, PRODUCER_BATCH_BYTES,
                ProducerConfig.LINGER_MS_CONFIG, PRODUCER_LINGER_MS,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
             ProgressBar bar = ProgressBar.start("produce", settings.events())) {
            long ts = System.currentTimeMillis();
            for (long e = 0; e < settings.events(); e++) {
                Interaction event = event(random, settings.users(), settings.items(), ts + e);
                producer.send(new ProducerRecord<>(topic, event.user().getBytes(StandardCharsets.UTF_8),
                        InteractionEventCodec.encode(event)));
                bar.step();
            }
            producer.flush();
        } catch (RuntimeException e) {
            throw new IOException("cannot produce benchmark events to " + bootstrap + ": " + e.getMessage(), e);
        }
        return settings.events() / ((System.nanoTime() - start) / 1e9);
    }

    /** The next generated event: a uniformly drawn user and item (also {@link IngestWriterBenchmark}'s events). */
    static Interaction event(SplittableRandom random, int users, int items, long timestampMillis) {
        String user = "user-" + random.nextInt(users);
        return new Interaction(user, "item-" + random.nextInt(items), timestampMillis, "view");
    }

    private static Pass rawPass(Settings settings, String bootstrap, String topic, int round) {
        FirstRecordClock clock = FirstRecordClock.create();
        Map<String, Object> config = new HashMap<>(clock.consumerConfig());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, IngestConfig.DEFAULT_MAX_POLL_RECORDS);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (clock; KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config);
             ProgressBar bar = ProgressBar.start(roundName(round) + RAW, settings.events())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < settings.partitions(); p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + settings.timeout().toNanos();
            long count = 0;
            long bytes = 0;
            Snapshot begin = null;
            Sampler sampler = null;
            while (count < settings.events()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (begin == null && !records.isEmpty()) {
                    begin = Snapshot.take(clock.startNanos(), null);
                    sampler = new Sampler(begin.nanos());
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    bytes += record.value().length; // touch every value, as any real consumer must
                    count++;
                }
                bar.advance(count - bar.done());
                if (sampler != null) {
                    sampler.sample(count);
                }
                checkDeadline(deadline, settings, RAW);
            }
            Snapshot end = Snapshot.take(System.nanoTime(), null);
            sampler.finish(count);
            if (bytes == 0) {
                throw new IllegalStateException("benchmark events were empty");
            }
            return new Pass(RAW, round, count, end.secondsSince(begin), end.cpuSecondsSince(begin),
                    end.consumerCpuSecondsSince(begin), 0, end.jitCpuSecondsSince(begin), sampler.samples);
        }
    }

    /** What a pass is measured by, at one moment; {@code writerPrefix} names the ingest writer threads, if any. */
    private record Snapshot(long nanos, long cpuNanos, long consumerCpuNanos, long writerCpuNanos, long jitCpuNanos) {
        static Snapshot take(long nanos, String writerPrefix) {
            return take(nanos, THREADS.getCurrentThreadCpuTime(), writerPrefix);
        }

        static Snapshot take(long nanos, long consumerCpuNanos, String writerPrefix) {
            return new Snapshot(nanos, processCpuNanos(), consumerCpuNanos,
                    writerPrefix == null ? 0 : threadsCpuNanos(writerPrefix), compilerCpuNanos());
        }

        double secondsSince(Snapshot begin) {
            return (nanos - begin.nanos) / 1e9;
        }

        double cpuSecondsSince(Snapshot begin) {
            return (cpuNanos - begin.cpuNanos) / 1e9;
        }

        double consumerCpuSecondsSince(Snapshot begin) {
            return (consumerCpuNanos - begin.consumerCpuNanos) / 1e9;
        }

        double writerCpuSecondsSince(Snapshot begin) {
            return (writerCpuNanos - begin.writerCpuNanos) / 1e9;
        }

        double jitCpuSecondsSince(Snapshot begin) {
            return (jitCpuNanos - begin.jitCpuNanos) / 1e9;
        }
    }

    private static Pass ingestPass(Settings settings, String bootstrap, String topic, int round, Path storeDir)
            throws InterruptedException {
        FirstRecordClock clock = FirstRecordClock.create();
        IngestConfig config = IngestConfig.of(bootstrap, topic).withGroupId("seqrec-bench-" + UUID.randomUUID())
                .withMetricsLogInterval(Duration.ofHours(1)).withFlushInterval(settings.flushInterval())
                .withConsumerOverrides(clock.consumerConfig());
        String consumerThread = "seqrec-ingest-" + topic;
        String writerThreads = "seqrec-ingest-writer-";
        try (clock; RocksSequenceStore store = RocksSequenceStore.open(storeDir, StoreConfig.defaults());
             InteractionIngestor ingestor = new InteractionIngestor(config, store);
             ProgressBar bar = ProgressBar.start(roundName(round) + INGEST, settings.events())) {
            ingestor.start();
            long deadline = System.nanoTime() + settings.timeout().toNanos();
            while (clock.startNanos() == 0) {
                failIfStopped(ingestor);
                checkDeadline(deadline, settings, INGEST);
                Thread.sleep(1);
            }
            Snapshot begin = Snapshot.take(clock.startNanos(), threadsCpuNanos(consumerThread), writerThreads);
            Sampler sampler = new Sampler(begin.nanos());
            LongSupplier stored = () -> store.counts().events();
            long count;
            while ((count = stored.getAsLong()) < settings.events()) {
                failIfStopped(ingestor);
                checkDeadline(deadline, settings, INGEST);
                bar.advance(count - bar.done());
                sampler.sample(count);
                Thread.sleep(1);
            }
            Snapshot end = Snapshot.take(System.nanoTime(), threadsCpuNanos(consumerThread), writerThreads);
            sampler.finish(count);
            bar.advance(count - bar.done());
            if (count != settings.events()) {
                throw new IllegalStateException("ingest stored " + count + " events, expected " + settings.events());
            }
            return new Pass(INGEST, round, count, end.secondsSince(begin), end.cpuSecondsSince(begin),
                    end.consumerCpuSecondsSince(begin), end.writerCpuSecondsSince(begin), end.jitCpuSecondsSince(begin),
                    sampler.samples);
        }
    }

    /**
     * CPU time of the JIT compiler threads so far, from Linux's per-thread accounting (the JVM does not list them
     * among its threads); 0 where that is not available. Counted in 10 ms ticks.
     */
    private static long compilerCpuNanos() {
        if (!Files.isDirectory(PROCESS_THREADS)) {
            return 0;
        }
        long ticks = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(PROCESS_THREADS)) {
            for (Path thread : threads) {
                try {
                    String name = Files.readString(thread.resolve("comm")).strip();
                    if (COMPILER_THREAD_NAMES.stream().anyMatch(name::startsWith)) {
                        String stat = Files.readString(thread.resolve("stat"));
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(fields[STAT_UTIME_AFTER_COMMAND])
                                + Long.parseLong(fields[STAT_STIME_AFTER_COMMAND]);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile, or an unexpected format: count what can be read
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks * TimeUnit.SECONDS.toNanos(1) / CLOCK_TICKS_PER_SECOND;
    }

    private static String roundName(int round) {
        return round < 0 ? "warm-up " + -round + ": " : "round " + round + ": ";
    }

    /** CPU time of the live threads whose name starts with {@code prefix} (each pass's ingestor has its own). */
    private static long threadsCpuNanos(String prefix) {
        long total = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(prefix)) {
                total += Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void failIfStopped(InteractionIngestor ingestor) {
        if (ingestor.failure() != null) {
            throw new IllegalStateException("ingestion failed: " + ingestor.failure().getMessage(), ingestor.failure());
        }
    }

    private static void checkDeadline(long deadline, Settings settings, String path) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(path + " did not read " + settings.events() + " events within "
                    + settings.timeout().toSeconds() + " s");
        }
    }

    /**
     * When a consumer first received records: a consumer interceptor, so that both paths' clocks start at the same
     * point of the same client code. Each pass makes its own and passes {@link #consumerConfig()} to its consumer.
     */
    public static final class FirstRecordClock implements ConsumerInterceptor<byte[], byte[]>, AutoCloseable {
        private static final String ID_CONFIG = "seqrec.bench.first-record-clock";
        private static final Map<String, AtomicLong> STARTS = new ConcurrentHashMap<>();
        private String id;
        private AtomicLong start;

        /** The consumer instantiates it with this constructor (and then {@link #configure}). */
        public FirstRecordClock() {
        }

        static FirstRecordClock create() {
            FirstRecordClock clock = new FirstRecordClock();
            clock.configure(Map.of(ID_CONFIG, UUID.randomUUID().toString()));
            return clock;
        }

        /** Consumer properties that install a copy of this clock sharing its start. */
        Map<String, String> consumerConfig() {
            return Map.of(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, FirstRecordClock.class.getName(), ID_CONFIG, id);
        }

        /** {@link System#nanoTime()} when the first records were received, 0 before. */
        long startNanos() {
            return start.get();
        }

        @Override
        public void configure(Map<String, ?> configs) {
            id = String.valueOf(configs.get(ID_CONFIG));
            start = STARTS.computeIfAbsent(id, key -> new AtomicLong());
        }

        @Override
        public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
            if (!records.isEmpty() && start.get() == 0) {
                start.compareAndSet(0, System.nanoTime());
            }
            return records;
        }

        @Override
        public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        }

        /** Forgets the start; the consumer's copy closing as well does no harm. */
        @Override
        public void close() {
            STARTS.remove(id);
        }
    }

    /** (seconds, events) pairs at most every {@link #SAMPLE_NANOS}, for the chart. */
    private static final class Sampler {
        final List<double[]> samples = new ArrayList<>();
        private final long start;
        private long next;

        Sampler(long start) {
            this.start = start;
            samples.add(new double[] {0, 0});
        }

        void sample(long events) {
            long now = System.nanoTime();
            if (now >= next) {
                samples.add(new double[] {(now - start) / 1e9, events});
                next = now + SAMPLE_NANOS;
            }
        }

        void finish(long events) {
            samples.add(new double[] {(System.nanoTime() - start) / 1e9, events});
        }
    }

    /** Removes a benchmark's directory and everything below it (no-op when absent). */
    static void deleteRecursively(Path dir) {
        try {
            DirectoryTree.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete benchmark directory " + dir, e);
        }
    }
}
