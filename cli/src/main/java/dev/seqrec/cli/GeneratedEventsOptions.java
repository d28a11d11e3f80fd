package dev.seqrec.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The generated events both ingest benchmarks run on: the same defaults, so their figures compare. */
final class GeneratedEventsOptions {
    @Option(names = "--events", paramLabel = "N", defaultValue = "1000000", description = "Events each pass handles. Default: ${DEFAULT-VALUE}.")
    long events;

    @Option(names = "--users", paramLabel = "N", defaultValue = "100000", description = "Distinct users. Default: ${DEFAULT-VALUE}.")
    int users;

    @Option(names = "--items", paramLabel = "N", defaultValue = "50000", description = "Distinct items. Default: ${DEFAULT-VALUE}.")
    int items;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "3", description = "Partitions, each handled by one writer thread. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the generated events. Default: ${DEFAULT-VALUE}.")
    long seed;

    /** Refuses a count below 1 naming its option, before the benchmark's settings would refuse it naming none. */
    void check(CommandSpec spec) {
        OptionChecks.atLeast(spec, "--events", events, 1);
        OptionChecks.atLeast(spec, "--users", users, 1);
        OptionChecks.atLeast(spec, "--items", items, 1);
        OptionChecks.atLeast(spec, "--partitions", partitions, 1);
    }
}
