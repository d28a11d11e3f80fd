package dev.seqrec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandHelpTest {

    @Test
    void everyCommandsHelpRendersWithoutPicocliWarnings() {
        List<CommandLine> commands = new ArrayList<>();
        collect(new CommandLine(new SeqrecCli()), commands);
        PrintStream err = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        StringWriter help = new StringWriter();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            for (CommandLine command : commands) {
                command.usage(new PrintWriter(help, true));
            }
        } finally {
            System.setErr(err);
        }
        assertTrue(commands.size() > 10, "expected every subcommand, found " + commands.size());
        // picocli reports a description it cannot format (a bare '%') on stderr and prints it unformatted
        assertEquals("", warnings.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyOptionShownInHelpHasADescription() {
        List<CommandLine> commands = new ArrayList<>();
        collect(new CommandLine(new SeqrecCli()), commands);
        List<String> undescribed = new ArrayList<>();
        for (CommandLine command : commands) {
            for (CommandLine.Model.OptionSpec option : command.getCommandSpec().options()) {
                if (!option.hidden() && String.join("", option.description()).isBlank()) {
                    undescribed.add(command.getCommandSpec().qualifiedName() + " " + option.longestName());
                }
            }
        }
        assertEquals(List.of(), undescribed);
    }

    /**
     * An option without a paramLabel shows its Java field in help ({@code --broker-port=<brokerPort>}); the others
     * say what they take in a word: N, PORT, FILE.
     */
    @Test
    void everyOptionsValueIsLabelledWithAWordNotAFieldName() {
        List<CommandLine> commands = new ArrayList<>();
        collect(new CommandLine(new SeqrecCli()), commands);
        List<String> fieldLabels = new ArrayList<>();
        for (CommandLine command : commands) {
            String name = command.getCommandSpec().qualifiedName();
            for (CommandLine.Model.OptionSpec option : command.getCommandSpec().options()) {
                if (!option.hidden() && option.arity().max() > 0 && option.paramLabel().startsWith("<")) {
                    fieldLabels.add(name + " " + option.longestName() + "=" + option.paramLabel());
                }
            }
        }
        assertEquals(List.of(), fieldLabels);
    }

    /** bench serve's help showed "Default: /tmp/x/../shared/data/...". */
    @Test
    void everyDefaultPathInHelpIsNormalized() {
        List<CommandLine> commands = new ArrayList<>();
        collect(new CommandLine(new SeqrecCli()), commands);
        List<String> unnormalized = new ArrayList<>();
        for (CommandLine command : commands) {
            for (CommandLine.Model.OptionSpec option : command.getCommandSpec().options()) {
                Object value = option.defaultValue() != null ? option.defaultValue() : option.initialValue();
                if (option.type() == Path.class && value != null) {
                    Path path = Path.of(value.toString());
                    if (!path.normalize().equals(path)) {
                        unnormalized.add(command.getCommandSpec().qualifiedName() + " " + option.longestName() + " "
                                + path);
                    }
                }
            }
        }
        assertEquals(List.of(), unnormalized);
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
    }
}
