package dev.seqrec.streaming;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The crash tests' consumer process: {@code bootstrap topic storeDir maxSequenceLength flushIntervalMillis
 * [earliest|latest [recordsPerPoll pauseMillisPerPoll recordsPerRun]]}, in group {@code crash-test-<topic>} as static
 * member {@link #INSTANCE_ID}. The last three throttle it ({@link Throttle}), so that it works a backlog off at the
 * same pace, and never completely, on any machine.
 */
public final class IngestChildProcess {
    static final String INSTANCE_ID = "crash-test-consumer";

    private IngestChildProcess() {
    }

    public static void main(String[] args) throws Exception {
        // Static membership: a restarted instance takes its predecessor's place at once instead of waiting for the
        // killed one's session to time out.
        Map<String, String> overrides = new HashMap<>(Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, INSTANCE_ID));
        IngestConfig config = IngestConfig.of(args[0], args[1]).withGroupId(groupId(args[1]))
                .withFlushInterval(Duration.ofMillis(Long.parseLong(args[4])))
                .withStartPosition(args.length > 5 && args[5].equals("latest")
                        ? IngestConfig.StartPosition.LATEST : IngestConfig.StartPosition.EARLIEST);
        if (args.length > 6) {
            config = config.withMaxPollRecords(Integer.parseInt(args[6]));
            overrides.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, Throttle.class.getName());
            overrides.put(Throttle.PAUSE_MILLIS, args[7]);
            overrides.put(Throttle.RECORDS_PER_RUN, args[8]);
        }
        StoreConfig store = StoreConfig.defaults().withMaxSequenceLength(Integer.parseInt(args[3]));
        IngestProcess.runUntilStopped(config.withConsumerOverrides(overrides), Path.of(args[2]), store);
    }

    static String groupId(String topic) {
        return "crash-test-" + topic;
    }

    /**
     * Pauses after every poll that brings records, and once {@value #RECORDS_PER_RUN} records have been handed to the
     * ingestor, hands it none of the later ones: the store's offsets stop after the last record handed over, so a
     * restarted consumer reads the withheld ones again (withholding only a poll's tail, or a poll between others,
     * would be a gap the ingestor stores past).
     */
    public static final class Throttle implements ConsumerInterceptor<byte[], byte[]> {
        static final String PAUSE_MILLIS = "seqrec.test.throttle.pause.ms";
        static final String RECORDS_PER_RUN = "seqrec.test.throttle.records.per.run";
        private long pauseMillis;
        private long recordsPerRun;
        private long handedOver;

        @Override
        public void configure(Map<String, ?> configs) {
            pauseMillis = Long.parseLong((String) configs.get(PAUSE_MILLIS));
            recordsPerRun = Long.parseLong((String) configs.get(RECORDS_PER_RUN));
        }

        @Override
        public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
            if (records.isEmpty()) {
                return records;
            }
            if (handedOver >= recordsPerRun) {
                return ConsumerRecords.empty();
            }
            handedOver += records.count();
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return records;
        }

        @Override
        public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        }

        @Override
        public void close() {
        }
    }
}
