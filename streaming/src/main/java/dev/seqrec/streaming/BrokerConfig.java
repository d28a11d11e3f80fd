package dev.seqrec.streaming;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A single-node KRaft broker on the loopback interface.
 *
 * @param port              client port; 0 picks a free one
 * @param dataDir           log and metadata directory, formatted on first start and reused afterwards
 * @param defaultPartitions partitions of automatically created topics
 */
public record BrokerConfig(int port, Path dataDir, int defaultPartitions) {
    public static final int DEFAULT_PORT = 9092;
    public static final int DEFAULT_PARTITIONS = 3;

    public BrokerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException("defaultPartitions must be at least 1, got " + defaultPartitions);
        }
    }

    /** A broker on a free port with the default partition count. */
    public static BrokerConfig onFreePort(Path dataDir) {
        return new BrokerConfig(0, dataDir, DEFAULT_PARTITIONS);
    }
}
