package dev.seqrec.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@code seqrec demo} runs on. Everything defaults to an embedded set-up beside the checkout.
 *
 * @param data        interaction file to import, train and evaluate on
 * @param workDir     where the broker's log, the store, the checkpoint and the evaluation are kept between runs
 * @param httpPort    the service's port
 * @param brokerPort  the embedded broker's port; 0 picks a free one
 * @param topic       interaction topic
 * @param partitions  partitions of the interaction topic
 * @param trainTime   bound on training time
 * @param maxEpochs   bound on training epochs
 */
record DemoSettings(Path data, Path workDir, int httpPort, int brokerPort, String topic, int partitions,
                    Duration trainTime, int maxEpochs) {
    static final String DEFAULT_DATA = "../shared/data/amazon-beauty/beauty.txt";
    static final String DEFAULT_WORK_DIR = "work/demo";
    static final int DEFAULT_HTTP_PORT = 8080;
    static final int DEFAULT_BROKER_PORT = 0;
    static final String DEFAULT_TOPIC = "interactions";
    static final int DEFAULT_PARTITIONS = 3;
    static final Duration DEFAULT_TRAIN_TIME = Duration.ofMinutes(3);
    static final int DEFAULT_MAX_EPOCHS = 200;

    DemoSettings {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(workDir, "workDir");
        if (httpPort < 1 || httpPort > 65535) {
            throw new IllegalArgumentException("--port must be in 1..65535, got " + httpPort);
        }
        if (brokerPort < 0 || brokerPort > 65535) {
            throw new IllegalArgumentException("--broker-port must be in 0..65535, got " + brokerPort);
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("--topic must not be empty");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
        }
        if (trainTime.isNegative() || trainTime.isZero()) {
            throw new IllegalArgumentException("--train-time must be positive, got " + trainTime);
        }
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("--max-epochs must be at least 1, got " + maxEpochs);
        }
    }

    /** Resolves a default path against the checkout ({@code seqrec.home}, set by bin/seqrec), else the working directory. */
    static Path fromCheckout(String path) {
        String home = System.getProperty("seqrec.home");
        return (home == null ? Path.of("") : Path.of(home)).resolve(path).toAbsolutePath().normalize();
    }
}
