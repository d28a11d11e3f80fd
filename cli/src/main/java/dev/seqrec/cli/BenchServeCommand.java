package dev.seqrec.cli;

import dev.seqrec.recommender.bench.ServeBenchmark;
import dev.seqrec.recommender.bench.ServeBenchmarkConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code seqrec bench serve}: HTTP throughput and latency of recommendations against a trivial endpoint. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Load-test GET /v1/users/{id}/recommendations on a Beauty-sized model (the reference weights, "
                + "12,101 items) and, in the same run, a trivial endpoint of the same server; prints both, their "
                + "ratio, and writes bench-serve.csv and bench-serve.png.")
final class BenchServeCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "FILE", description = "Beauty sequence file. Default: ${DEFAULT-VALUE}.")
    Path data = DemoSettings.fromCheckout("../shared/data/amazon-beauty/beauty.txt"); // normalized for --help

    @Option(names = "--reference", paramLabel = "DIR",
            description = "Reference encoder weights. Default: ${DEFAULT-VALUE}.")
    Path reference = DemoSettings.fromCheckout("../shared/data/mclrec-beauty-checkpoint");

    @Option(names = "--checkpoint", paramLabel = "DIR",
            description = "Serve this seqrec checkpoint instead of the reference weights (its items must be Beauty's).")
    Path checkpoint;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the CSV and chart go. Default: ${DEFAULT-VALUE}.")
    Path out = Path.of("runs/bench-serve");

    @Option(names = "--connections", paramLabel = "N", description = "Concurrent keep-alive connections. Default: ${DEFAULT-VALUE}.")
    int connections = ServeBenchmarkConfig.DEFAULT_CONNECTIONS;

    @Option(names = "--warmup", paramLabel = "SECONDS", description = "Warm-up per endpoint. Default: ${DEFAULT-VALUE}.")
    long warmupSeconds = ServeBenchmarkConfig.DEFAULT_WARMUP.toSeconds();

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Measured time per endpoint, at most 300. Default: ${DEFAULT-VALUE}.")
    long durationSeconds = ServeBenchmarkConfig.DEFAULT_DURATION.toSeconds();

    @Option(names = "--compare-batching", description = "Also measure recommendations with micro-batching off (the "
            + "service default is on), alternating the two over two rounds.")
    boolean compareBatching;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for the choice of users. Default: ${DEFAULT-VALUE}.")
    long seed = 1;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        long maxSeconds = ServeBenchmarkConfig.MAX_DURATION.toSeconds();
        if (connections < 1) {
            throw usage("--connections must be at least 1, got " + connections);
        }
        if (durationSeconds < 1 || durationSeconds > maxSeconds) {
            throw usage("--duration must be 1 to " + maxSeconds + " seconds, got " + durationSeconds);
        }
        if (warmupSeconds < 0 || warmupSeconds > maxSeconds) {
            throw usage("--warmup must be 0 to " + maxSeconds + " seconds, got " + warmupSeconds);
        }
        ServeBenchmarkConfig config;
        try {
            config = new ServeBenchmarkConfig(data, reference, checkpoint, out, connections,
                    Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(durationSeconds), compareBatching, seed);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        new ServeBenchmark(config, System.out).run();
        return 0;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
