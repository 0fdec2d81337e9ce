package dev.lit4j.cli;

import dev.lit4j.model.LitModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the subcommands get their model: {@link #standard()} loads it from disk on every call; a
 * test may share one loaded default model between commands.
 */
interface ModelSource {

  /**
   * Loads the model in {@code directory}, or the default model when it is empty. The caller closes
   * the result.
   *
   * @throws IOException if the model cannot be read
   * @throws IllegalArgumentException if the directory is not a consistent model
   * @throws IllegalStateException if no default model is on the class path
   */
  LitModel load(Optional<Path> directory) throws IOException;

  /** Returns the source that loads with {@link LitModel#load} and {@link LitModel#loadDefault}. */
  static ModelSource standard() {
    return directory ->
        directory.isPresent() ? LitModel.load(directory.get()) : LitModel.loadDefault();
  }
}
