package dev.seqrec.streaming;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LocalKafkaBrokerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The thread of the raft client that the controller half runs on the directory's metadata log. */
    private static final String RAFT_THREAD = "raft-io-thread";

    @TempDir
    Path dir;

    @Test
    void aSecondBrokerOnADirectoryInUseFailsAtOnceNamingItAndLeavesTheRunningOneUntouched() throws Exception {
        Path brokerDir = dir.resolve("broker");
        Path quorumState = brokerDir.resolve("__cluster_metadata-0").resolve("quorum-state");
        try (LocalKafkaBroker running = LocalKafkaBroker.start(BrokerConfig.onFreePort(brokerDir))) {
            String stateBefore = Files.readString(quorumState);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> LocalKafkaBroker.start(BrokerConfig.onFreePort(brokerDir)));
            assertEquals("broker directory " + brokerDir.toAbsolutePath() + " is in use by another broker",
                    e.getMessage());
            assertEquals(stateBefore, Files.readString(quorumState), "the metadata log's leader state is untouched");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    running.bootstrapServers()))) {
                assertEquals(1, admin.describeCluster().nodes().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).size());
            }
        }
        // Released on close: the directory can be used again
        LocalKafkaBroker.start(BrokerConfig.onFreePort(brokerDir)).close();
    }

    @Test
    void aBrokerWhoseStartupFailsIsShutDownAndReleasesItsDirectory() throws Exception {
        Path brokerDir = dir.resolve("broker");
        long raftThreadsBefore = raftThreads();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            // The controller half starts, then the broker half cannot listen on the client port
            assertThrows(RuntimeException.class,
                    () -> LocalKafkaBroker.start(new BrokerConfig(taken.getLocalPort(), brokerDir, 1)));
        }
        TestKafka.await("the half-started controller's raft thread to stop", TIMEOUT,
                () -> raftThreads() <= raftThreadsBefore);
        LocalKafkaBroker.start(BrokerConfig.onFreePort(brokerDir)).close();
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("seqrec-broker-failed-start-shutdown")), "the shutdown finished");
    }

    private static long raftThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().contains(RAFT_THREAD)).count();
    }
}
