package dev.lit4j.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** One-line descriptions of exceptions for error messages. */
final class Errors {
  private Errors() {}

  /**
   * Describes {@code e} in one line. File-system exceptions, whose message is often just a path,
   * say what happened to it.
   */
  static String describe(Throwable e) {
    if (e instanceof NoSuchFileException f) {
      return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : "no such file");
    }
    if (e instanceof AccessDeniedException f) {
      return f.getFile() + ": permission denied";
    }
    if (e instanceof NotDirectoryException f) {
      return f.getFile() + ": not a directory";
    }
    if (e instanceof FileSystemException f && f.getReason() == null) {
      return f.getFile() + ": " + f.getClass().getSimpleName();
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
