package dev.seqrec.trainer.model;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Starts ND4J's backend, turning a failure into one message that says why. Left alone, a backend that cannot load
 * (a CUDA build on a machine without the NVIDIA driver, a CPU build on an unsupported processor) prints pages of
 * stack traces and ends in "Please ensure that you have an nd4j backend on your classpath", which hides the cause.
 */
public final class ComputeBackend {
    /** Present only in builds made with the Maven profile {@code cuda}. */
    private static final String CUDA_BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";
    private static final String LINK_ERROR = "UnsatisfiedLinkError: ";

    private ComputeBackend() {
    }

    /** Loads ND4J's backend once per process; later calls return at once. */
    public static void start() {
        start(Nd4j::getBackend, isCudaBuild());
    }

    /**
     * Runs {@code init} with standard error held back: on success what it printed is passed on; on a failure to link
     * or initialise, an {@link IllegalStateException} carries the cause found in that output.
     */
    static void start(Runnable init, boolean cudaBuild) {
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            init.run();
        } catch (LinkageError e) {
            throw new IllegalStateException(message(printed.toString(StandardCharsets.UTF_8), e, cudaBuild), e);
        } finally {
            System.setErr(err);
        }
        err.print(printed.toString(StandardCharsets.UTF_8));
    }

    private static String message(String printed, Throwable error, boolean cudaBuild) {
        String cause = linkFailure(printed);
        if (cause == null) {
            Throwable root = error;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            cause = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        }
        return cudaBuild
                ? "ND4J's CUDA backend could not start (" + cause + "). This build (Maven profile cuda) needs an NVIDIA"
                        + " driver and a GPU of compute capability 3.7 to 8.6; build without -Pcuda to run on the CPU"
                : "ND4J's CPU backend could not start (" + cause + ")";
    }

    /** The first native library that failed to load, without the cache directory it was unpacked to. */
    private static String linkFailure(String printed) {
        for (String line : printed.split("\\R")) {
            int at = line.indexOf(LINK_ERROR);
            if (at >= 0) {
                String message = line.substring(at + LINK_ERROR.length()).strip();
                int pathEnd = message.indexOf(": ");
                return message.startsWith("/") && pathEnd > 0 ? message.substring(pathEnd + 2) : message;
            }
        }
        return null;
    }

    static boolean isCudaBuild() {
        try {
            Class.forName(CUDA_BACKEND_CLASS, false, ComputeBackend.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
