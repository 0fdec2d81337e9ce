package dev.lit4j.cli;

/**
 * A failure the user can fix, with a message that names the bad argument or file and says how:
 * printed as one line, without a stack trace unless {@code --verbose}; exit code 1.
 */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CliException(String message) {
    super(message);
  }

  CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
