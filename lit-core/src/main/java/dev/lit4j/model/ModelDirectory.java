package dev.lit4j.model;

import java.io.IOException;
import java.nio.file.Path;

/** Reads and writes LiT model directories. (Being implemented: see issue 2.) */
final class ModelDirectory {
  private ModelDirectory() {}

  static LitModel load(Path directory) throws IOException {
    throw new UnsupportedOperationException("not yet implemented");
  }

  static void save(LitModel model, Path directory) throws IOException {
    throw new UnsupportedOperationException("not yet implemented");
  }
}
