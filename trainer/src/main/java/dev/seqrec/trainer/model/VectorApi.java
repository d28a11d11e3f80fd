package dev.seqrec.trainer.model;

/**
 * Whether the kernels use the JDK's vector API, an incubator module in Java 17 that must be asked for
 * ({@code --add-modules jdk.incubator.vector}, as {@code bin/seqrec} does for train, bench and eval, and the tests).
 * The classes that use it ({@link VectorGelu}, {@link VectorSoftmax}, {@link VectorExp}, {@link VectorLoops}) are loaded only when it is
 * used; otherwise the same kernels run as scalar loops or ND4J ops (an embedding application, the service, the
 * Docker image). Off too with {@code -Dseqrec.vectorApi=false}, or where the processor's vectors are narrower than
 * 256 bits, where the API gains little over the scalar loops.
 */
final class VectorApi {
    static final String SWITCH = "seqrec.vectorApi";
    private static final int NARROWEST_USEFUL_BITS = 256;

    static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equalsIgnoreCase(System.getProperty(SWITCH))
            && VectorLoops.preferredBits() >= NARROWEST_USEFUL_BITS;
    /**
     * Used, ND4J's arrays are in host memory (the CPU backend), and the API still reads and writes byte buffers, as
     * the kernels on ND4J's arrays do: JDK 19 replaced {@code fromByteBuffer} and {@code intoByteBuffer} with memory
     * segments, so on a newer JDK given the module those kernels fall back while {@link VectorLoops} still runs.
     */
    static final boolean FOR_ND4J_ARRAYS = PRESENT && !ComputeBackend.isCudaBuild() && readsByteBuffers();

    private VectorApi() {
    }

    private static boolean readsByteBuffers() {
        try {
            Class.forName("jdk.incubator.vector.FloatVector").getMethod("fromByteBuffer",
                    Class.forName("jdk.incubator.vector.VectorSpecies"), java.nio.ByteBuffer.class, int.class,
                    java.nio.ByteOrder.class);
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
