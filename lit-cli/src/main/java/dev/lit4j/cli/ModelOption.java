package dev.lit4j.cli;

import dev.lit4j.model.LitModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --model DIR}: the model a subcommand uses, the bundled default model without it. */
final class ModelOption {
  @Option(
      names = "--model",
      paramLabel = "DIR",
      description =
          "A model directory (written by lit train or LitModel.save); default: the bundled"
              + " default model.")
  Path directory;

  /** Returns the directory, empty for the default model. */
  Optional<Path> directory() {
    return Optional.ofNullable(directory);
  }

  /** Returns how the model is named in output: its directory, or {@code "default"}. */
  String describe() {
    return directory == null ? "default" : directory.toString();
  }

  /**
   * Loads the model; the caller closes it.
   *
   * @throws CliException naming the directory and the fix if it cannot be loaded
   */
  LitModel load(CliContext context) {
    try {
      return context.models().load(directory());
    } catch (IOException | RuntimeException e) {
      if (directory == null) {
        throw new CliException("cannot load the default model: " + Errors.describe(e), e);
      }
      throw new CliException(
          "cannot load the model in "
              + directory
              + " (--model): "
              + Errors.describe(e)
              + "; give --model a directory written by lit train (it holds lit-model.json), or"
              + " leave --model out for the default model",
          e);
    }
  }
}
