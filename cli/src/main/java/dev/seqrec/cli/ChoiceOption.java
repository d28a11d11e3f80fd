package dev.seqrec.cli;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Options that take one of a few names, which the modules parse rather than picocli: a value that is none of them is
 * a usage error in the words every command uses, and is blamed on its option, so that a value from the environment
 * names its variable ({@link EnvironmentDefaults#sources}).
 */
final class ChoiceOption {
    private ChoiceOption() {
    }

    /** What {@code parser} makes of {@code option}'s {@code value}; a usage error listing the choices when it refuses it. */
    static <T> T parse(CommandSpec spec, String option, String value, Function<String, T> parser, T[] choices,
                       Function<T, String> name) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw invalid(spec, option, value, Arrays.stream(choices).map(name).toList());
        }
    }

    /** The usage error for a value of {@code option} that is none of {@code choices}. */
    static CommandLine.ParameterException invalid(CommandSpec spec, String option, String value, List<String> choices) {
        return new CommandLine.ParameterException(spec.commandLine(),
                option + " must be one of " + String.join(", ", choices) + ", got '" + value + "'",
                spec.findOption(option), value);
    }
}
