package dev.lit4j.pytorch.image;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The JSON writer and checked reads of tower files. */
final class TowerFiles {
  static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  private TowerFiles() {}

  static String readRequired(Path file, String what) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, what + " is missing");
    }
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
