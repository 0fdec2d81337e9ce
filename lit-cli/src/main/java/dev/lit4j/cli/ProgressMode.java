package dev.lit4j.cli;

import dev.lit4j.progress.ConsoleProgressBar;
import dev.lit4j.progress.ProgressLines;
import dev.lit4j.progress.ProgressListener;

/** How progress is shown on standard error ({@code --progress}). */
enum ProgressMode {
  /** A redrawn bar when standard error is a terminal, plain lines otherwise. */
  AUTO,
  /** A bar redrawn in place with a carriage return: for terminals. */
  BAR,
  /** A plain line every ten seconds and at the end: for logs and pipes. */
  LINES,
  /** Nothing. */
  NONE;

  /** Returns the listener for this mode, writing to the context's standard error. */
  ProgressListener listener(CliContext context) {
    return switch (this) {
      case AUTO ->
          context.errIsTerminal()
              ? ConsoleProgressBar.to(context.err())
              : ProgressLines.to(context.err());
      case BAR -> ConsoleProgressBar.to(context.err());
      case LINES -> ProgressLines.to(context.err());
      case NONE -> ProgressListener.silent();
    };
  }
}
