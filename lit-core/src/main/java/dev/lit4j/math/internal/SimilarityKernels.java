package dev.lit4j.math.internal;

/**
 * Chooses the {@link SimilarityKernel} once per JVM: the Vector API kernel when the module {@code
 * jdk.incubator.vector} is in the boot layer (the JVM was started with {@code --add-modules
 * jdk.incubator.vector}), otherwise the auto-vectorised one. The check looks the module up before
 * touching the Vector API class, so a JVM without the module never tries to load it and nothing is
 * thrown or logged.
 */
public final class SimilarityKernels {
  private static final String VECTOR_MODULE = "jdk.incubator.vector";
  private static final SimilarityKernel AUTO_VECTORISED = new AutoVectorisedSimilarityKernel();
  private static final SimilarityKernel BEST = choose();

  private SimilarityKernels() {}

  /** {@return the fastest kernel this JVM can run} */
  public static SimilarityKernel best() {
    return BEST;
  }

  /** {@return the kernel that runs on every JVM: C2-auto-vectorised loops, no Vector API} */
  public static SimilarityKernel autoVectorised() {
    return AUTO_VECTORISED;
  }

  /** {@return whether {@link #best()} is the Vector API kernel} */
  public static boolean vectorApiInUse() {
    return BEST != AUTO_VECTORISED;
  }

  private static SimilarityKernel choose() {
    if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
      return AUTO_VECTORISED;
    }
    try {
      return (SimilarityKernel)
          Class.forName(SimilarityKernels.class.getPackageName() + ".VectorSimilarityKernel")
              .getDeclaredConstructor()
              .newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      // The module is present but the class cannot be linked (e.g. a JDK whose incubating API
      // changed): the auto-vectorised kernel computes the same products.
      return AUTO_VECTORISED;
    }
  }
}
