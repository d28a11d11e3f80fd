package dev.seqrec.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ComputeBackendTest {
    /** What ND4J 1.0.0-M2.1's CUDA build printed on a machine without the NVIDIA driver, shortened. */
    private static final String CUDA_WITHOUT_DRIVER = """
            java.lang.UnsatisfiedLinkError: /root/.javacpp/cache/cuda-11.6-8.3-1.5.7-linux-x86_64.jar/org/bytedeco/cuda/\
            linux-x86_64/libjnicudart.so: libcuda.so.1: cannot open shared object file: No such file or directory
            \tat java.base/jdk.internal.loader.NativeLibraries.load(Native Method)
            \tat org.nd4j.linalg.jcublas.JCublasBackend.canRun(JCublasBackend.java:66)
            WARN  org.nd4j.linalg.factory.Nd4jBackend - Skipped [JCublasBackend] backend (unavailable)
            """;

    private PrintStream originalErr;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void captureStandardError() {
        originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStandardError() {
        System.setErr(originalErr);
    }

    private static Runnable failingBackend(String printed) {
        return () -> {
            System.err.print(printed);
            throw new ExceptionInInitializerError(new RuntimeException(
                    "Please ensure that you have an nd4j backend on your classpath"));
        };
    }

    @Test
    void aCudaBuildWithoutTheDriverFailsWithTheMissingLibraryAndWhatTheBuildNeeds() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ComputeBackend.start(failingBackend(CUDA_WITHOUT_DRIVER), true));
        assertEquals("ND4J's CUDA backend could not start (libcuda.so.1: cannot open shared object file: No such file"
                + " or directory). This build (Maven profile cuda) needs an NVIDIA driver and a GPU of compute"
                + " capability 3.7 to 8.6; build without -Pcuda to run on the CPU", e.getMessage());
    }

    @Test
    void theBackendsStackTracesAreHeldBackWhenItFails() {
        assertThrows(IllegalStateException.class, () -> ComputeBackend.start(failingBackend(CUDA_WITHOUT_DRIVER), true));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withoutALinkErrorTheMessageGivesTheDeepestCause() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ComputeBackend.start(failingBackend("some warning\n"), false));
        assertEquals("ND4J's CPU backend could not start (Please ensure that you have an nd4j backend on your classpath)",
                e.getMessage());
    }

    @Test
    void whatAStartingBackendPrintsIsPassedOn() {
        ComputeBackend.start(() -> System.err.print("backend: 2 threads\n"), false);
        assertEquals("backend: 2 threads\n", err.toString(StandardCharsets.UTF_8));
    }

    /** The backend class the Maven profile chose: CUDA's with {@code -Pcuda}, else the CPU one. */
    private static String backendOfThisBuild() {
        try {
            Class.forName("org.nd4j.linalg.jcublas.JCublasBackend", false, ComputeBackendTest.class.getClassLoader());
            return "org.nd4j.linalg.jcublas.JCublasBackend";
        } catch (ClassNotFoundException e) {
            return "org.nd4j.linalg.cpu.nativecpu.CpuBackend";
        }
    }

    @Test
    void theRealBackendStartsAsTheOneThisBuildWasMadeFor() {
        ComputeBackend.start();
        assertEquals(backendOfThisBuild(), Nd4j.getBackend().getClass().getName());
    }

    @Test
    void theStartedBackendMultipliesMatrices() {
        ComputeBackend.start();
        INDArray product = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}})
                .mmul(Nd4j.createFromArray(new float[][] {{5}, {6}}));
        assertArrayEquals(new float[] {17, 39}, product.reshape(2).toFloatVector());
    }
}
