package dev.seqrec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointLabelsTest {

    private static List<String> labels(String... paths) {
        return CheckpointLabels.of(Arrays.stream(paths).map(Path::of).toList());
    }

    @Test
    void distinctDirectoriesGoByTheirOwnNames() {
        assertEquals(List.of("sasrec-run", "mclrec-run"), labels("runs/sasrec-run", "other/mclrec-run"));
    }

    @Test
    void bestAndLastGoWithTheirRunsName() {
        assertEquals(List.of("s2020/best", "s2020/last"), labels("runs/s2020/best", "runs/s2020/last"));
    }

    @Test
    void collidingNamesTakeAsManyParentsAsTellThemApart() {
        assertEquals(List.of("a/x/run", "b/x/run", "other"), labels("a/x/run", "b/x/run", "c/other"));
    }

    @Test
    void aRunAndItsBestAreToldApart() {
        assertEquals(List.of("run", "run/best"), labels("out/run", "out/run/best"));
    }

    @Test
    void oneDirectoryGivenTwiceKeepsItsShortLabel() {
        assertEquals(List.of("s2020/best", "s2020/best"), labels("runs/s2020/best", "runs/./s2020/best"));
    }

    @Test
    void theWorkingDirectoryGoesByItsName() {
        assertEquals(List.of(Path.of("").toAbsolutePath().getFileName().toString()), labels("."));
    }
}
