package dev.seqrec.cli;

import dev.seqrec.recommender.Recommender;
import dev.seqrec.recommender.service.SeqrecService;
import dev.seqrec.streaming.StoreConfig;
import dev.seqrec.trainer.model.ComputeBackend;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seqrec serve}: the HTTP recommender. Flags override application.yml and SEQREC_SERVE_* environment variables;
 * omitted flags leave those in charge.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve recommendations over HTTP (Micronaut). Settings not given as flags come from "
                + "SEQREC_SERVE_* environment variables or application.yml; the admin token only from "
                + "SEQREC_SERVE_ADMIN_TOKEN, so it never shows in a process list.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "Checkpoint directory to serve.")
    Path checkpoint;

    @Option(names = "--store", paramLabel = "DIR", description = "RocksDB sequence store directory.")
    Path store;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers: run the ingestion consumer inside the service.")
    String bootstrap;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "Topic of interaction events. Default: interactions.")
    String topic;

    @Option(names = "--group", paramLabel = "ID",
            description = "With --bootstrap: consumer group; instances of one group share the partitions, so each "
                    + "replica needs its own. Default: seqrec-serve, not seqrec ingest's.")
    String group;

    @Option(names = "--instance-id", paramLabel = "ID",
            description = "With --bootstrap: static group membership: a restarted instance with the same id gets its "
                    + "partitions back at once.")
    String instanceId;

    @Option(names = "--max-length", paramLabel = "N",
            description = "Items kept per user in the store, oldest dropped, as seqrec ingest --max-length; another "
                    + "value than an existing store's is refused. Default: the store's own, recorded when it was "
                    + "created (" + StoreConfig.DEFAULT_MAX_SEQUENCE_LENGTH + " for a new store).")
    Integer maxLength;

    private static final int MAX_PORT = 65535;

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP port; 0 takes any free one. Default: 8080.")
    Integer port;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to listen on. Default: 127.0.0.1.")
    String host;

    @Option(names = "--watch", description = "Serve the checkpoint directory's new contents whenever they change.")
    boolean watch;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (port != null && (port < 0 || port > MAX_PORT)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be between 0 (any free port) and "
                    + MAX_PORT + ", got " + port);
        }
        if (host != null) {
            requireLocalAddress(host);
        }
        if (maxLength != null) { // a usage error, as for seqrec ingest
            OptionChecks.between(spec, "--max-length", maxLength, 1, StoreConfig.LARGEST_MAX_SEQUENCE_LENGTH);
        }
        if (checkpoint != null) {
            ComputeBackend.start();
        }
        Map<String, Object> properties = new HashMap<>();
        put(properties, "checkpoint", checkpoint);
        put(properties, "store", store);
        put(properties, "bootstrap", bootstrap);
        put(properties, "topic", topic);
        put(properties, "group", group);
        put(properties, "instance-id", instanceId);
        put(properties, "max-length", maxLength);
        put(properties, "port", port);
        put(properties, "host", host);
        if (watch) {
            properties.put("seqrec.serve.watch-checkpoint", true);
        }
        SeqrecService service = SeqrecService.start(properties);
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "seqrec-serve-shutdown"));
        Recommender recommender = service.context().getBean(Recommender.class);
        System.err.printf("seqrec serve: listening on port %d, model %s; console at /console/, Ctrl-C stops%n",
                service.port(), recommender.model().version());
        service.awaitShutdown();
        return 0;
    }

    /**
     * The service binds --host: one it cannot bind fails only after the model has loaded. Tried by binding (any port),
     * as the interface list misses addresses that bind (127.0.0.2, a hostname mapped to 127.0.1.1, a nonlocal bind).
     */
    private void requireLocalAddress(String address) {
        InetAddress resolved;
        try {
            resolved = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--host " + address + " cannot be resolved");
        }
        try {
            PortProbe.bind(resolved, 0);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--host " + address + " cannot be listened "
                    + "on (" + e.getMessage() + "): not an address of this machine?");
        }
    }

    private static void put(Map<String, Object> properties, String key, Object value) {
        if (value != null) {
            properties.put("seqrec.serve." + key, value.toString());
        }
    }
}
