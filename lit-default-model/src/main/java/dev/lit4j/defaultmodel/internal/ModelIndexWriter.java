package dev.lit4j.defaultmodel.internal;

import dev.lit4j.io.Checksums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes the {@link ModelIndex} of a model directory; run by the build ({@code exec-maven-plugin},
 * phase {@code process-classes}) over the model resources as copied into {@code target/classes}.
 * Stateless.
 */
public final class ModelIndexWriter {
  private ModelIndexWriter() {}

  /**
   * {@return the index text of every regular file under {@code modelDirectory}}
   *
   * @param modelDirectory a model directory
   * @throws IOException if the directory cannot be walked or a file read
   * @throws IllegalArgumentException if the directory holds no {@value ModelIndex#CONFIG_FILE}
   */
  public static String indexOf(Path modelDirectory) throws IOException {
    List<ModelIndex.Entry> entries = new ArrayList<>();
    try (Stream<Path> files = Files.walk(modelDirectory)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        String path =
            modelDirectory
                .relativize(file)
                .toString()
                .replace(file.getFileSystem().getSeparator(), "/");
        entries.add(new ModelIndex.Entry(Checksums.sha256Hex(file), Files.size(file), path));
      }
    }
    String text = ModelIndex.format(entries);
    ModelIndex.parse(text, modelDirectory.toString()); // the same checks the reader makes
    return text;
  }

  /**
   * Writes the index of {@code args[0]} (a model directory) to {@code args[1]}.
   *
   * @param args the model directory and the index file to write
   * @throws IOException if reading or writing fails
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException(
          "usage: ModelIndexWriter <model directory> <index file>, got "
              + args.length
              + " arguments");
    }
    Path index = Path.of(args[1]);
    // A build output, rewritten whole on every build; not read while it is written.
    Files.writeString(index, indexOf(Path.of(args[0])));
  }
}
