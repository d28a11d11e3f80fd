package dev.seqrec.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from environment variables, so containers are configured without rewriting their command line:
 * {@code seqrec bench ingest --bootstrap} reads {@code SEQREC_BENCH_INGEST_BOOTSTRAP}. A flag on the command line
 * still wins, and an unset variable leaves the option's own default.
 */
final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
    static final String PREFIX = "SEQREC_";

    private final Map<String, String> environment;

    EnvironmentDefaults(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    static EnvironmentDefaults fromSystem() {
        return new EnvironmentDefaults(System.getenv());
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        if (!(argument instanceof OptionSpec option) || option.command() == null) {
            return null;
        }
        return environment.get(variableName(option.command().qualifiedName(" "), option.longestName()));
    }

    /** The variable for option {@code --option-name} of the command {@code seqrec sub command}. */
    static String variableName(String qualifiedCommand, String optionName) {
        String commandPath = qualifiedCommand.contains(" ")
                ? qualifiedCommand.substring(qualifiedCommand.indexOf(' ') + 1) // the launcher's own name is implied
                : "";
        String option = optionName.replaceFirst("^-+", "");
        String joined = commandPath.isEmpty() ? option : commandPath + " " + option;
        return PREFIX + joined.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
    }
}
