package dev.lit4j.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One image listed in a manifest.
 *
 * @param line the 1-based line number in the manifest, for messages
 * @param path the path as written in the manifest (recorded in the index)
 * @param id the id (the path when the manifest has no id)
 * @param file the path resolved against the manifest's directory
 */
record ManifestEntry(int line, String path, String id, Path file) {
  ManifestEntry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(file, "file");
  }
}
