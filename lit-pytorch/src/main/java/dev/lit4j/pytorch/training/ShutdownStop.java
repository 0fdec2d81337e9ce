package dev.lit4j.pytorch.training;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns a JVM shutdown during training (SIGTERM, Ctrl-C, {@code System.exit}) into a stop at the
 * next step boundary. While registered, a shutdown hook asks the training loop to stop ({@link
 * #requested}) and then holds the JVM's shutdown until the loop has written its checkpoint and
 * {@link #close} released it, for at most a grace period. Without it the JVM runs libtorch's exit
 * handlers while the training thread is still inside a backward pass, which crashes the process
 * (SIGSEGV in {@code at::accelerator::getAccelerator}, exit 134, an {@code hs_err_pid*.log}).
 *
 * <p>The JVM's exit status is not changed: 143 after SIGTERM, 130 after SIGINT.
 *
 * <p>Messages go to {@code System.err}: logging frameworks close their handlers in shutdown hooks
 * of their own, which run concurrently with this one.
 *
 * <p>Thread-safe: {@link #requested} may be polled from any thread; {@link #close} is idempotent.
 */
final class ShutdownStop implements AutoCloseable {
  /** How long the JVM's shutdown waits for the step in progress and the checkpoint. */
  static final Duration GRACE = Duration.ofSeconds(60);

  private final Duration grace;
  private final PrintStream err;
  private final CountDownLatch released = new CountDownLatch(1);
  private final Thread hook;
  private volatile boolean requested;

  private ShutdownStop(Duration grace, PrintStream err) {
    this.grace = grace;
    this.err = err;
    this.hook = new Thread(this::onShutdown, "lit4j-training-shutdown");
  }

  /**
   * Registers the hook.
   *
   * @throws IllegalStateException if the JVM is already shutting down
   */
  static ShutdownStop register() {
    ShutdownStop stop = new ShutdownStop(GRACE, System.err);
    Runtime.getRuntime().addShutdownHook(stop.hook);
    return stop;
  }

  private void onShutdown() {
    requested = true;
    err.println(
        "lit4j: the JVM is shutting down; training stops after the current step and writes a"
            + " checkpoint (waiting up to "
            + grace.toSeconds()
            + " s)");
    try {
      if (!released.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        err.println(
            "lit4j: training did not stop within "
                + grace.toSeconds()
                + " s; the JVM exits anyway and the last checkpoint is the one to resume from");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Returns whether the JVM has begun shutting down since {@link #register}. */
  boolean requested() {
    return requested;
  }

  /** Prints {@code message} where a user watching the shutdown sees it. */
  void tell(String message) {
    err.println("lit4j: " + message);
  }

  /**
   * Unregisters the hook, or, if the JVM is already shutting down, lets it return. Call when
   * training has returned or thrown and no native work of the trainer is running.
   */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running (or about to) and waits for the latch below.
    }
    released.countDown();
  }
}
