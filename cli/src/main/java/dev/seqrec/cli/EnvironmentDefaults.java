package dev.seqrec.cli;

import java.util.ArrayList;
import java.util.List;
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
        String variable = argument instanceof OptionSpec option ? variableOf(option) : null;
        return variable == null ? null : environment.get(variable);
    }

    /** The variable that sets {@code option}; none for an option outside a command. */
    private static String variableOf(OptionSpec option) {
        return option.command() == null ? null
                : variableName(option.command().qualifiedName(" "), option.longestName());
    }

    /**
     * What to add to a usage error's message when an option it is about took its value from this environment, not
     * from the command line: {@code " (from SEQREC_EVAL_K_CORE)"}, else {@code ""}. Such an option is the one whose
     * value could not be converted, else every option the message names.
     *
     * @param arguments the command line, which shows which options the user typed
     */
    String sources(CommandLine.ParameterException error, String[] arguments) {
        List<String> variables = new ArrayList<>();
        if (error.getArgSpec() instanceof OptionSpec option) {
            String variable = suppliedVariable(option, arguments);
            if (variable != null && (error.getValue() == null || error.getValue().equals(environment.get(variable)))) {
                variables.add(variable);
            }
        } else if (error.getArgSpec() == null && error.getMessage() != null) {
            for (OptionSpec option : error.getCommandLine().getCommandSpec().options()) {
                String variable = suppliedVariable(option, arguments);
                if (variable != null && names(error.getMessage(), option)) {
                    variables.add(variable);
                }
            }
        }
        return variables.isEmpty() ? "" : " (from " + String.join(", ", variables) + ")";
    }

    /** The variable that gave {@code option} its value, or null when none did or the command line names it. */
    private String suppliedVariable(OptionSpec option, String[] arguments) {
        String variable = variableOf(option);
        if (variable == null || !environment.containsKey(variable)) {
            return null;
        }
        for (String argument : arguments) {
            for (String name : option.names()) {
                if (argument.equals(name) || argument.startsWith(name + "=")
                        || (!name.startsWith("--") && argument.startsWith(name))) { // -t5
                    return null;
                }
            }
        }
        return variable;
    }

    /** Whether {@code message} names {@code option} by its longest name, as a whole word. */
    private static boolean names(String message, OptionSpec option) {
        String name = option.longestName();
        for (int at = message.indexOf(name); at >= 0; at = message.indexOf(name, at + 1)) {
            int end = at + name.length();
            if (end == message.length() || !(Character.isLetterOrDigit(message.charAt(end)) || message.charAt(end) == '-')) {
                return true;
            }
        }
        return false;
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
