package dev.seqrec.streaming;

import dev.seqrec.report.DirectoryLock;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) running in this JVM, built from the Kafka
 * artifacts on Maven Central: for development ({@code seqrec broker}), tests and benchmarks. Listens on 127.0.0.1.
 * Holds an exclusive lock on {@value #LOCK_FILE} in its directory from before Kafka touches it until it has shut
 * down: Kafka's own lock is taken only by the broker half, after the controller half has already written to the
 * directory's metadata log, so a second broker on the directory would corrupt the running one before failing.
 */
public final class LocalKafkaBroker implements AutoCloseable {
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String HOST = "127.0.0.1";
    /** Internal topics of a single node: few partitions start fast; replication 1 is all one node has. */
    private static final int INTERNAL_TOPIC_PARTITIONS = 5;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READY_POLL = Duration.ofMillis(100);
    /** seqrec's own lock on a broker directory, see the class comment. */
    static final String LOCK_FILE = ".seqrec-broker.lock";
    /**
     * How long shutting down a server whose startup failed may take: its broker half may wait for a controlled
     * shutdown that will never come.
     */
    private static final Duration FAILED_START_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    private static final System.Logger LOG = System.getLogger(LocalKafkaBroker.class.getName());

    private final KafkaRaftServer server;
    private final int port;
    private final DirectoryLock lock;

    private LocalKafkaBroker(KafkaRaftServer server, int port, DirectoryLock lock) {
        this.server = server;
        this.port = port;
        this.lock = lock;
    }

    /**
     * Formats {@code dataDir} if it is new, starts the broker and returns once it answers clients. Fails at once,
     * before Kafka starts, when another broker (in this process or another) uses the directory; a broker whose
     * startup fails is shut down before the failure is thrown.
     */
    public static LocalKafkaBroker start(BrokerConfig config) {
        return start(config, Map.of());
    }

    /** {@link #start(BrokerConfig)} with Kafka server properties of the caller's (tests) applied last. */
    static LocalKafkaBroker start(BrokerConfig config, Map<String, String> overrides) {
        Path dir = config.dataDir().toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create broker directory " + dir, e);
        }
        DirectoryLock lock = lock(dir);
        try {
            return start(config, overrides, dir, lock);
        } catch (RuntimeException | Error e) {
            release(lock);
            throw e;
        }
    }

    private static LocalKafkaBroker start(BrokerConfig config, Map<String, String> overrides, Path dir,
                                          DirectoryLock lock) {
        int port = config.port() == 0 ? freePort() : config.port();
        int controllerPort = freePort();
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put("listeners", "PLAINTEXT://" + HOST + ":" + port + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dir.toString());
        props.put("num.partitions", Integer.toString(config.defaultPartitions()));
        props.put("auto.create.topics.enable", "true");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", Integer.toString(INTERNAL_TOPIC_PARTITIONS));
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", Integer.toString(INTERNAL_TOPIC_PARTITIONS));
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.putAll(overrides);
        // A formatted directory keeps its cluster id: formatting it again with a new one would refuse to start.
        if (!java.nio.file.Files.exists(dir.resolve("meta.properties"))) {
            try {
                new Formatter()
                        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                        .setNodeId(NODE_ID)
                        .setClusterId(Uuid.randomUuid().toString())
                        .addDirectory(dir.toString())
                        .setMetadataLogDirectory(dir.toString())
                        .setReleaseVersion(MetadataVersion.latestProduction())
                        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                        .setControllerListenerName(CONTROLLER_LISTENER)
                        .setIgnoreFormatted(true)
                        .run();
            } catch (Exception e) {
                throw new IllegalStateException("cannot format broker directory " + dir + ": " + e.getMessage(), e);
            }
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException | Error e) {
            // The controller half starts first and would go on running (threads, port, metadata log) without this
            shutDownAfterFailedStart(server, e);
            throw e;
        }
        LocalKafkaBroker broker = new LocalKafkaBroker(server, port, lock);
        try {
            broker.awaitReady();
        } catch (RuntimeException e) {
            broker.server.shutdown();
            broker.server.awaitShutdown();
            throw e;
        }
        return broker;
    }

    /** Shuts a partly started server down, waiting at most {@link #FAILED_START_SHUTDOWN_TIMEOUT}. */
    private static void shutDownAfterFailedStart(KafkaRaftServer server, Throwable startFailure) {
        Thread shutdown = new Thread(() -> {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException e) {
                startFailure.addSuppressed(e);
            }
        }, "seqrec-broker-failed-start-shutdown");
        shutdown.setDaemon(true);
        shutdown.start();
        try {
            shutdown.join(FAILED_START_SHUTDOWN_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (shutdown.isAlive()) {
            LOG.log(System.Logger.Level.WARNING, "the broker whose startup failed did not shut down within "
                    + FAILED_START_SHUTDOWN_TIMEOUT.toSeconds() + " s");
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(1, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the broker to start", e);
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("broker on " + bootstrapServers() + " did not start within "
                                + READY_TIMEOUT.toSeconds() + " s: " + e.getMessage(), e);
                    }
                    sleepQuietly(READY_POLL);
                }
            }
        }
    }

    /** {@code 127.0.0.1:port}, for clients. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    /** Blocks until the broker has shut down (after {@link #close()} from another thread). */
    public void awaitShutdown() {
        server.awaitShutdown();
    }

    @Override
    public void close() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            release(lock);
        }
    }

    /** seqrec's lock on the broker directory, with a message naming the directory when another broker has it. */
    private static DirectoryLock lock(Path dir) {
        try {
            return DirectoryLock.acquire(dir, LOCK_FILE);
        } catch (DirectoryLock.InUseException e) {
            throw new IllegalStateException("broker directory " + dir + " is in use by another broker");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock broker directory " + dir, e);
        }
    }

    private static void release(DirectoryLock lock) {
        try {
            lock.close();
        } catch (IOException e) {
            // the process's end releases it as well
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }
}
