package dev.lit4j.pytorch.internal;

import ai.djl.engine.Engine;
import dev.lit4j.pytorch.EngineThreads;

/**
 * Applies {@link EngineThreads}' configuration before lit4j's first use of the PyTorch engine.
 * lit-pytorch reaches the engine through {@link #engine()}, which applies it first; later calls
 * return at once. Thread-safe.
 */
public final class EngineStart {
  /** DJL's start-up property for libtorch's intra-op threads (read by its PtEngine). */
  private static final String DJL_INTRA_OP = "ai.djl.pytorch.num_threads";

  /** DJL's start-up property for libtorch's inter-op threads. */
  private static final String DJL_INTER_OP = "ai.djl.pytorch.num_interop_threads";

  /** DJL's name of the engine. */
  private static final String ENGINE = "PyTorch";

  private static boolean applied;

  private EngineStart() {}

  /**
   * {@return the PyTorch engine, with lit4j's thread configuration applied before it starts} Every
   * path by which lit-pytorch reaches the engine (base managers, models, the GPU count) goes
   * through here, so that none starts libtorch with other thread counts.
   */
  public static Engine engine() {
    applyThreads();
    return Engine.getEngine(ENGINE);
  }

  /**
   * Applies {@value EngineThreads#PROPERTY} if set (through {@link EngineThreads#set}), or else
   * {@link EngineThreads#DEFAULT} where neither the environment ({@code OMP_NUM_THREADS}) nor DJL's
   * own properties decide; once per process.
   *
   * @throws IllegalArgumentException if {@value EngineThreads#PROPERTY} is malformed
   * @throws IllegalStateException if it is set but the engine already started with other counts
   */
  public static void applyThreads() {
    synchronized (EngineThreads.class) {
      if (applied) {
        return;
      }
      applied = true;
      String property = System.getProperty(EngineThreads.PROPERTY);
      if (property != null) {
        EngineThreads.set(EngineThreads.Counts.parse(property));
        return;
      }
      // Only DJL's start-up properties: if an application started the engine through DJL
      // directly, this changes nothing, and must not fail.
      if (System.getProperty(DJL_INTRA_OP) == null && System.getenv("OMP_NUM_THREADS") == null) {
        System.setProperty(DJL_INTRA_OP, Integer.toString(EngineThreads.DEFAULT.intraOp()));
      }
      if (System.getProperty(DJL_INTER_OP) == null) {
        System.setProperty(DJL_INTER_OP, Integer.toString(EngineThreads.DEFAULT.interOp()));
      }
    }
  }

  /**
   * Sets DJL's start-up properties to {@code counts}, so that an engine started next uses them, and
   * marks the configuration applied.
   *
   * @param counts the counts
   */
  public static void setStartupCounts(EngineThreads.Counts counts) {
    synchronized (EngineThreads.class) {
      applied = true;
      System.setProperty(DJL_INTRA_OP, Integer.toString(counts.intraOp()));
      System.setProperty(DJL_INTER_OP, Integer.toString(counts.interOp()));
    }
  }
}
