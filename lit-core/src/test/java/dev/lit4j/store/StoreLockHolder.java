package dev.lit4j.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A second process for lock tests: {@code StoreLockHolder <dir>} locks the store directory and
 * prints {@value #LOCKED}, then holds the lock until its standard input ends; if another process
 * holds the lock it prints {@value #BUSY} and the exception message, and exits with status 3.
 */
final class StoreLockHolder {
  static final String LOCKED = "LOCKED";
  static final String BUSY = "BUSY";

  private StoreLockHolder() {}

  public static void main(String[] args) throws IOException {
    StoreLock lock;
    try {
      lock = StoreLock.acquire(Path.of(args[0]));
    } catch (StoreLockedException e) {
      System.out.println(BUSY + " " + e.getMessage());
      System.out.flush();
      System.exit(3);
      return;
    }
    System.out.println(LOCKED);
    System.out.flush();
    while (System.in.read() >= 0) {
      // hold the lock until the parent closes our input or kills us
    }
    lock.close();
  }
}
