package dev.seqrec.trainer.model;

/**
 * Whether this JVM has the JDK's vector API, an incubator module in Java 17 that must be asked for
 * ({@code --add-modules jdk.incubator.vector}, as {@code bin/seqrec} does for train, bench and eval, and the tests).
 * The classes that use it ({@link VectorGelu}, {@link VectorLoops}) are loaded only when it is there; without it the
 * same kernels run as scalar loops or ND4J ops (an embedding application, the service).
 */
final class VectorApi {
    static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    /** Present, and ND4J's arrays are in host memory (the CPU backend), where the kernels read them in place. */
    static final boolean FOR_ND4J_ARRAYS = PRESENT && !ComputeBackend.isCudaBuild();

    private VectorApi() {
    }
}
