package dev.seqrec.streaming;

import org.apache.kafka.clients.consumer.ConsumerConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The crash test's consumer process: {@code bootstrap topic storeDir maxSequenceLength flushIntervalMillis}. */
public final class IngestChildProcess {
    private IngestChildProcess() {
    }

    public static void main(String[] args) throws Exception {
        // Static membership: a restarted instance takes its predecessor's place at once instead of waiting for the
        // killed one's session to time out.
        IngestConfig config = IngestConfig.of(args[0], args[1]).withGroupId("crash-test-" + args[1])
                .withConsumerOverrides(Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "crash-test-consumer"))
                .withFlushInterval(Duration.ofMillis(Long.parseLong(args[4])));
        StoreConfig store = StoreConfig.defaults().withMaxSequenceLength(Integer.parseInt(args[3]));
        IngestProcess.runUntilStopped(config, Path.of(args[2]), store);
    }
}
