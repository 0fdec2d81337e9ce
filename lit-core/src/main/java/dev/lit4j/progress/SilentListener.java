package dev.lit4j.progress;

/** The listener behind {@link ProgressListener#silent()}: ignores everything. */
enum SilentListener implements ProgressListener {
  INSTANCE;

  @Override
  public void onUpdate(Progress progress) {}

  @Override
  public void onFinish(Progress progress) {}
}
