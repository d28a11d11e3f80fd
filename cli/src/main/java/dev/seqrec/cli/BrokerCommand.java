package dev.seqrec.cli;

import dev.seqrec.streaming.BrokerConfig;
import dev.seqrec.streaming.LocalKafkaBroker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code seqrec broker}: a single-node KRaft Kafka broker for development, until Ctrl-C or SIGTERM. */
@Command(name = "broker",
        mixinStandardHelpOptions = true,
        description = "Runs a single-node Kafka broker (KRaft, broker and controller in one) on 127.0.0.1, started "
                + "from the Kafka artifacts bundled with seqrec: no Docker, no download. Stops on Ctrl-C or SIGTERM.")
public final class BrokerCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + BrokerConfig.DEFAULT_PORT,
            description = "Client port on 127.0.0.1 (0 = any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "${sys:user.home}/.seqrec/broker",
            description = "Log and metadata directory; formatted on first use, reused afterwards. One broker at a time: "
                    + "a directory another broker uses is refused. Default: ${DEFAULT-VALUE}.")
    Path dir;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "" + BrokerConfig.DEFAULT_PARTITIONS,
            description = "Partitions of topics created automatically. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535 || partitions < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    port < 0 || port > 65535 ? "--port must be in 0..65535, got " + port : "--partitions must be >= 1");
        }
        if (port != 0) {
            PortProbe.requireFree(InetAddress.getLoopbackAddress(), port, "--port");
        }
        LocalKafkaBroker broker = LocalKafkaBroker.start(new BrokerConfig(port, dir, partitions));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "seqrec-broker-shutdown"));
        spec.commandLine().getOut().printf("Kafka broker on %s (data in %s); Ctrl-C to stop%n",
                broker.bootstrapServers(), dir.toAbsolutePath());
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
