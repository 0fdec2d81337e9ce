package dev.lit4j.cli;

import dev.lit4j.progress.ProgressListener;
import dev.lit4j.pytorch.EngineThreads;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The options every subcommand takes: output format, chattiness, progress and libtorch threads. */
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

  @Option(
      names = "--threads",
      paramLabel = "N|INTRA,INTER",
      converter = ThreadsConverter.class,
      description =
          "libtorch CPU threads: N for both pools, or intra-op,inter-op (default: the"
              + " lit4j.threads system property, else 1,1 unless OMP_NUM_THREADS is set).")
  EngineThreads.Counts threads;

  /** Parses {@code --threads} with {@link EngineThreads.Counts#parse}. */
  static final class ThreadsConverter implements ITypeConverter<EngineThreads.Counts> {
    @Override
    public EngineThreads.Counts convert(String value) {
      try {
        return EngineThreads.Counts.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** Returns the progress listener these options ask for ({@code --quiet} shows none). */
  ProgressListener progress(CliContext context) {
    return quiet ? ProgressListener.silent() : progress.listener(context);
  }
}
