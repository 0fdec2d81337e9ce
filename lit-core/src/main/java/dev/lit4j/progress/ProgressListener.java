package dev.lit4j.progress;

/**
 * Receives progress from a job. Implementations are called from the job's thread and must be quick;
 * they decide themselves how often to show anything.
 */
public interface ProgressListener {

  /**
   * Called after each unit of work; may be called very often.
   *
   * @param progress the state after the update
   */
  void onUpdate(Progress progress);

  /**
   * Called once when the job ends (also when it ends early); shows a final state.
   *
   * @param progress the final state
   */
  void onFinish(Progress progress);

  /** {@return a listener that ignores everything} */
  static ProgressListener silent() {
    return SilentListener.INSTANCE;
  }
}
