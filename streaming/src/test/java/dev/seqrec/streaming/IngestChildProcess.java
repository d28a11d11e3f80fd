package dev.seqrec.streaming;

import org.apache.kafka.clients.consumer.ConsumerConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The crash tests' consumer process: {@code bootstrap topic storeDir maxSequenceLength flushIntervalMillis
 * [earliest|latest]}, in group {@code crash-test-<topic>} as static member {@link #INSTANCE_ID}.
 */
public final class IngestChildProcess {
    static final String INSTANCE_ID = "crash-test-consumer";

    private IngestChildProcess() {
    }

    public static void main(String[] args) throws Exception {
        // Static membership: a restarted instance takes its predecessor's place at once instead of waiting for the
        // killed one's session to time out.
        IngestConfig config = IngestConfig.of(args[0], args[1]).withGroupId(groupId(args[1]))
                .withConsumerOverrides(Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, INSTANCE_ID))
                .withFlushInterval(Duration.ofMillis(Long.parseLong(args[4])))
                .withStartPosition(args.length > 5 && args[5].equals("latest")
                        ? IngestConfig.StartPosition.LATEST : IngestConfig.StartPosition.EARLIEST);
        StoreConfig store = StoreConfig.defaults().withMaxSequenceLength(Integer.parseInt(args[3]));
        IngestProcess.runUntilStopped(config, Path.of(args[2]), store);
    }

    static String groupId(String topic) {
        return "crash-test-" + topic;
    }
}
