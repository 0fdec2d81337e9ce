package dev.lit4j.cli;

import dev.lit4j.progress.ProgressListener;
import picocli.CommandLine.Option;

/** The options every subcommand takes: output format, chattiness and progress. */
final class CommonOptions {
  @Option(
      names = "--json",
      description = "Print the result as one JSON object on standard output (shape: see README).")
  boolean json;

  @Option(
      names = {"-q", "--quiet"},
      description = "Show no progress and no warnings; results and errors only.")
  boolean quiet;

  @Option(
      names = {"-v", "--verbose"},
      description = "Log at debug level and print stack traces with errors.")
  boolean verbose;

  @Option(
      names = "--progress",
      paramLabel = "MODE",
      defaultValue = "auto",
      description =
          "auto (a bar on a terminal, plain lines otherwise), bar, lines or none"
              + " (default: ${DEFAULT-VALUE}).")
  ProgressMode progress = ProgressMode.AUTO;

  /** Returns the progress listener these options ask for ({@code --quiet} shows none). */
  ProgressListener progress(CliContext context) {
    return quiet ? ProgressListener.silent() : progress.listener(context);
  }
}
