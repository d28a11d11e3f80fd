package dev.seqrec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seqrec.trainer.checkpoint.Versions;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The one line the launcher prints for a failed command, and its version. */
class SeqrecCliTest {

    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    @Test
    void aFileSystemErrorThatNamesOnlyTheFileAlsoSaysWhatIsWrongWithIt() {
        assertEquals("/tmp/afile: already exists", SeqrecCli.describe(new FileAlreadyExistsException("/tmp/afile")));
        assertEquals("/tmp/afile: not a directory", SeqrecCli.describe(new NotDirectoryException("/tmp/afile")));
        assertEquals("/tmp/out.json: permission denied", SeqrecCli.describe(new AccessDeniedException("/tmp/out.json")));
    }

    @Test
    void aFileSystemErrorWithAReasonKeepsIt() {
        assertEquals("/tmp/x: File name too long",
                SeqrecCli.describe(new FileSystemException("/tmp/x", null, "File name too long")));
    }

    /** Every command that offers -V, --version, as its words on the command line: "", "eval", "bench train"... */
    static Stream<String> commandsWithVersion() {
        List<String> commands = new ArrayList<>();
        collect(new CommandLine(new SeqrecCli()), commands);
        return commands.stream();
    }

    private static void collect(CommandLine command, List<String> into) {
        if (command.getCommandSpec().findOption("--version") != null) {
            String name = command.getCommandSpec().qualifiedName(" ");
            into.add(name.contains(" ") ? name.substring(name.indexOf(' ') + 1) : "");
        }
        command.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
    }

    @ParameterizedTest
    @MethodSource("commandsWithVersion")
    void everyCommandsVersionOptionPrintsTheVersionCheckpointsRecord(String command) {
        List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
        args.add("--version");
        assertEquals(0, SeqrecCli.run(args.toArray(String[]::new)));
        assertEquals("seqrec " + Versions.seqrec() + System.lineSeparator(), console.stdout());
    }
}
