package dev.seqrec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NotDirectoryException;
import org.junit.jupiter.api.Test;

/** The one line the launcher prints for a failed command. */
class SeqrecCliTest {

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
}
