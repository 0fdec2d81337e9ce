package dev.lit4j.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds the JVM's shutdown (SIGTERM, Ctrl-C) until the command has reported how it stopped. The
 * trainer stops at a step boundary and writes a checkpoint within its own shutdown hook's grace
 * period; once it returns, the JVM would halt at once, before {@code lit train} could close its
 * model and say how to resume. While registered, this hook waits for {@link #close()}, for at most
 * {@link #LIMIT}.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
final class ShutdownGuard implements AutoCloseable {
  /** The longest the hook holds the shutdown: the trainer's 60 s grace and some to report. */
  static final Duration LIMIT = Duration.ofSeconds(90);

  private final CountDownLatch released = new CountDownLatch(1);
  private final Thread hook;

  private ShutdownGuard() {
    this.hook = new Thread(this::await, "lit-shutdown-guard");
  }

  /**
   * Registers the hook.
   *
   * @throws IllegalStateException if the JVM is already shutting down
   */
  static ShutdownGuard register() {
    ShutdownGuard guard = new ShutdownGuard();
    Runtime.getRuntime().addShutdownHook(guard.hook);
    return guard;
  }

  private void await() {
    try {
      released.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Lets a shutdown in progress finish, or unregisters the hook if there is none. */
  @Override
  public void close() {
    released.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running and returns now that it is released.
    }
  }
}
