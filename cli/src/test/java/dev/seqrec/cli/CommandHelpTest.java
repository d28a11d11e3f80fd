package dev.seqrec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
    }
}
