package dev.seqrec.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Range checks of numeric and text options, made by a command before it builds a library's settings from them: the
 * usage error (exit code 2) names the option as the user typed it, where the library's own check would name a field
 * of its record. The error is blamed on the option, so that a value from the environment names its variable
 * ({@link EnvironmentDefaults#sources}).
 */
final class OptionChecks {
    private OptionChecks() {
    }

    /** Fails unless {@code value} is at least {@code minimum}. */
    static void atLeast(CommandSpec spec, String option, long value, long minimum) {
        if (value < minimum) {
            throw invalid(spec, option, value, "must be >= " + minimum);
        }
    }

    /** Fails unless {@code value} lies in {@code minimum..maximum}. */
    static void between(CommandSpec spec, String option, long value, long minimum, long maximum) {
        if (value < minimum || value > maximum) {
            throw invalid(spec, option, value, "must be between " + minimum + " and " + maximum);
        }
    }

    /** Fails when {@code value} is empty or only blanks. */
    static void notBlank(CommandSpec spec, String option, String value) {
        if (value == null || value.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must not be empty",
                    spec.findOption(option), value);
        }
    }

    /**
     * Fails unless {@code path} is a directory or can be created as one: neither it nor the nearest of its parents
     * that exists is a file.
     */
    static void directory(CommandSpec spec, String option, Path path) {
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " " + path
                    + " is a file, not a directory", spec.findOption(option), path.toString());
        }
        Path existing = CliPaths.nearestExisting(path);
        if (existing != null && !Files.isDirectory(existing)) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " " + path + ": " + existing
                    + " is a file, not a directory", spec.findOption(option), path.toString());
        }
    }

    /**
     * Fails unless {@code value} is a list of {@code host:port} of which at least one host resolves, the Kafka
     * clients' own condition: without it they fail with "Failed to create new KafkaAdminClient", naming neither the
     * host nor the option.
     */
    static void kafkaBootstrap(CommandSpec spec, String option, String value) {
        notBlank(spec, option, value);
        List<String> unresolved = new ArrayList<>();
        String[] servers = value.split(",");
        for (String server : servers) {
            String address = server.trim();
            int scheme = address.indexOf("://"); // PLAINTEXT://host:port, as a broker's listeners name it
            if (scheme >= 0) {
                address = address.substring(scheme + "://".length());
            }
            int colon = address.lastIndexOf(':');
            String host = colon < 0 ? "" : address.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1); // [::1]:9092
            }
            String port = colon < 0 ? "" : address.substring(colon + 1);
            if (host.isEmpty() || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) {
                throw new CommandLine.ParameterException(spec.commandLine(), option + " must be HOST:PORT[,HOST:PORT"
                        + "...], got '" + value + "'", spec.findOption(option), value);
            }
            try {
                InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                unresolved.add(host);
            }
        }
        if (unresolved.size() == servers.length) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " " + value + ": cannot resolve "
                    + (unresolved.size() == 1 ? "host " : "hosts ") + String.join(", ", unresolved),
                    spec.findOption(option), value);
        }
    }

    /** The usage error {@code "<option> <requirement>, got <value>"}. */
    static CommandLine.ParameterException invalid(CommandSpec spec, String option, Object value, String requirement) {
        return new CommandLine.ParameterException(spec.commandLine(), option + " " + requirement + ", got " + value,
                spec.findOption(option), String.valueOf(value));
    }
}
