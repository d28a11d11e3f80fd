package dev.seqrec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * bin/seqrec rebuilds the jar when what it is built from changed, and only then: it runs in a copy of a checkout
 * whose {@code mvn} and {@code java} are stand-ins that leave a mark and return at once.
 */
class LauncherScriptTest {
    private static final Path LAUNCHER = Path.of(System.getProperty("user.dir")).getParent().resolve("bin/seqrec");
    private static final Instant SOURCES_WRITTEN = Instant.now().minusSeconds(3000);
    private static final Instant JAR_BUILT = SOURCES_WRITTEN.plusSeconds(1000);
    private static final Instant EDITED = JAR_BUILT.plusSeconds(1000);
    private static final String JAR = "cli/target/seqrec-cli.jar";

    @TempDir
    Path checkout;

    @BeforeEach
    void checkoutWithABuiltJar() throws IOException {
        write("pom.xml", "<project><modules>\n  <module>core</module>\n  <module>cli</module>\n</modules></project>\n");
        write("bin/seqrec", Files.readString(LAUNCHER));
        write("core/pom.xml", "<project/>\n");
        write("core/src/main/java/Core.java", "class Core {}\n");
        write("cli/pom.xml", "<project/>\n");
        write("cli/src/main/java/Cli.java", "class Cli {}\n");
        write(JAR, "old");
        Files.setLastModifiedTime(checkout.resolve(JAR), FileTime.from(JAR_BUILT));
        // writes the jar as Maven does: into the file at that path, whatever is there
        tool("mvn", "touch \"$(dirname \"$0\")/built\"; printf new > \"$(dirname \"$0\")/../" + JAR + "\"");
        tool("java", "exit 0");
    }

    private void write(String file, String text) throws IOException {
        Path path = checkout.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
        Files.setLastModifiedTime(path, FileTime.from(SOURCES_WRITTEN));
    }

    private void tool(String name, String body) throws IOException {
        Path script = checkout.resolve("tools").resolve(name);
        write("tools/" + name, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Edits {@code file} after the jar was built, then runs the launcher; whether it built. */
    private boolean builtAfterEditing(String file) throws Exception {
        write(file, "// edited\n");
        Files.setLastModifiedTime(checkout.resolve(file), FileTime.from(EDITED));
        launch("--version");
        return Files.exists(checkout.resolve("tools/built"));
    }

    /** Runs the launcher with the stand-in tools; it must succeed. */
    private void launch(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", checkout.resolve("bin/seqrec").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder launcher = new ProcessBuilder(command).redirectErrorStream(true);
        launcher.environment().put("PATH", checkout.resolve("tools") + ":" + System.getenv("PATH"));
        Process process = launcher.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
    }

    /** A stand-in java whose runtime lists {@code module}, and which records the arguments it was started with. */
    private void javaWithModule(String module) throws IOException {
        tool("java", "if [ \"$1\" = --list-modules ]; then echo " + module + "@17.0.15; exit 0; fi\n"
                + "printf '%s\\n' \"$@\" > \"$(dirname \"$0\")/java-arguments\"");
    }

    private List<String> javaArguments() throws IOException {
        return Files.readAllLines(checkout.resolve("tools/java-arguments"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pom.xml", "core/pom.xml", "core/src/main/java/Core.java", "cli/src/main/java/New.java",
            "core/src/main/resources/application.yml"})
    void aChangedPomOrMainSourceRebuildsTheJar(String file) throws Exception {
        assertTrue(builtAfterEditing(file));
    }

    @Test
    void aRebuildLeavesTheJarThatARunningSeqrecStartedWithAsItWas() throws Exception {
        // a training run of hours reads its classes from the jar it opened at start
        try (FileChannel running = FileChannel.open(checkout.resolve(JAR))) {
            assertTrue(builtAfterEditing("core/src/main/java/Core.java"));
            ByteBuffer seen = ByteBuffer.allocate(16);
            running.read(seen, 0);
            assertEquals("old", new String(seen.array(), 0, seen.position(), StandardCharsets.UTF_8));
        }
        assertEquals("new", Files.readString(checkout.resolve(JAR)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"runs/experiment/Probe.java", "work/demo/Scratch.java", "core/src/test/java/CoreTest.java",
            "core/src/main/java/.Core.java.swp", "notes/pom.xml"})
    void filesTheJarIsNotBuiltFromDoNotRebuildIt(String file) throws Exception {
        assertFalse(builtAfterEditing(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {"train", "bench train", "eval", "bench ingest", "serve", "ingest", "demo"})
    void onlyTheCommandsThatRunTheModelsArithmeticGetTheVectorApi(String command) throws Exception {
        javaWithModule("jdk.incubator.vector");
        launch(command.split(" "));
        boolean vectorApi = javaArguments().contains("--add-modules=jdk.incubator.vector");
        // the JVM prints a warning line for the incubator module: the other commands' output stays as it was
        assertEquals(Set.of("train", "bench train", "eval").contains(command), vectorApi, command);
    }

    @Test
    void aRuntimeWithoutTheVectorModuleTrainsWithoutAskingForIt() throws Exception {
        // asking for a module the runtime lacks would stop the JVM before seqrec starts
        javaWithModule("java.base");
        launch("train");
        assertFalse(javaArguments().stream().anyMatch(argument -> argument.startsWith("--add-modules")));
    }
}
