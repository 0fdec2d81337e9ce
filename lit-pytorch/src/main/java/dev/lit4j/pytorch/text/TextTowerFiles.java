package dev.lit4j.pytorch.text;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The files of a saved tower directory (format {@value #FORMAT_ID}, version {@value
 * #FORMAT_VERSION}): {@value #CONFIG_FILE} (format id, version, {@link TextTowerConfig}), {@value
 * #WEIGHTS_FILE} (every parameter under its BERT name) and {@value #TOKENIZER_FILE}.
 */
final class TextTowerFiles {
  static final String FORMAT_ID = "lit4j-transformer-text";
  static final int FORMAT_VERSION = 1;
  static final String CONFIG_FILE = "text-tower.json";
  static final String WEIGHTS_FILE = "text-tower.safetensors";
  static final String TOKENIZER_FILE = "tokenizer.json";

  private TextTowerFiles() {}

  /**
   * Returns the JSON of {@value #CONFIG_FILE}; {@code base}, when not null, records that the
   * weights file holds only the projection and the encoder comes from that pre-trained artifact.
   */
  static byte[] configJson(TextTowerConfig c, EncoderBase base) {
    JsonObject cfg = new JsonObject();
    cfg.addProperty("vocabSize", c.vocabSize());
    cfg.addProperty("layers", c.layers());
    cfg.addProperty("width", c.width());
    cfg.addProperty("heads", c.heads());
    cfg.addProperty("ffnWidth", c.ffnWidth());
    cfg.addProperty("maxLength", c.maxLength());
    cfg.addProperty("maxPositions", c.maxPositions());
    cfg.addProperty("pooling", c.pooling().name());
    cfg.addProperty("outputDimension", c.outputDimension());
    cfg.addProperty("layerNormEps", c.layerNormEps());
    cfg.addProperty("seed", c.seed());
    JsonObject root = new JsonObject();
    root.addProperty("format", FORMAT_ID);
    root.addProperty("formatVersion", FORMAT_VERSION);
    root.add("config", cfg);
    if (base != null) {
      JsonObject b = new JsonObject();
      b.addProperty("id", base.id());
      b.addProperty("artifact", base.artifact());
      b.addProperty("sha256", base.digest());
      root.add("pretrainedEncoder", b);
    }
    return new GsonBuilder()
        .setPrettyPrinting()
        .create()
        .toJson(root)
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads and validates {@value #CONFIG_FILE} in {@code dir}.
   *
   * @throws IOException if the file is missing, not JSON, of another format or version, or lacks a
   *     field (the message names it)
   */
  static TextTowerConfig readConfig(Path dir) throws IOException {
    Path file = dir.resolve(CONFIG_FILE);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(
          file.toString(), null, "text tower directory lacks " + CONFIG_FILE);
    }
    JsonObject root;
    try {
      root = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new IOException(file + " is not a JSON object: " + e.getMessage(), e);
    }
    String format = string(root, "format", file);
    if (!FORMAT_ID.equals(format)) {
      throw new IOException(file + " holds format '" + format + "', expected '" + FORMAT_ID + "'");
    }
    int version = Math.toIntExact(integer(root, "formatVersion", file));
    if (version != FORMAT_VERSION) {
      throw new IOException(
          file
              + " has formatVersion "
              + version
              + "; this version of lit4j reads version "
              + FORMAT_VERSION);
    }
    JsonElement cfgEl = root.get("config");
    if (cfgEl == null || !cfgEl.isJsonObject()) {
      throw new IOException(file + " lacks the object 'config'");
    }
    JsonObject c = cfgEl.getAsJsonObject();
    Pooling pooling;
    String poolingName = string(c, "pooling", file);
    try {
      pooling = Pooling.valueOf(poolingName);
    } catch (IllegalArgumentException e) {
      throw new IOException(
          file + " has pooling '" + poolingName + "', expected one of MEAN, CLS", e);
    }
    try {
      return new TextTowerConfig(
          Math.toIntExact(integer(c, "vocabSize", file)),
          Math.toIntExact(integer(c, "layers", file)),
          Math.toIntExact(integer(c, "width", file)),
          Math.toIntExact(integer(c, "heads", file)),
          Math.toIntExact(integer(c, "ffnWidth", file)),
          Math.toIntExact(integer(c, "maxLength", file)),
          Math.toIntExact(integer(c, "maxPositions", file)),
          pooling,
          Math.toIntExact(integer(c, "outputDimension", file)),
          number(c, "layerNormEps", file),
          integer(c, "seed", file));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IOException(file + " holds an invalid configuration: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the optional {@code pretrainedEncoder} reference of {@value #CONFIG_FILE} in {@code dir}.
   *
   * @throws IOException if the file cannot be read or the reference lacks a field (named)
   */
  static Optional<EncoderBase> readBase(Path dir) throws IOException {
    Path file = dir.resolve(CONFIG_FILE);
    JsonObject root;
    try {
      root = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new IOException(file + " is not a JSON object: " + e.getMessage(), e);
    }
    JsonElement b = root.get("pretrainedEncoder");
    if (b == null) {
      return Optional.empty();
    }
    if (!b.isJsonObject()) {
      throw new IOException(file + " field 'pretrainedEncoder' must be an object");
    }
    JsonObject o = b.getAsJsonObject();
    return Optional.of(
        new EncoderBase(
            string(o, "id", file), string(o, "artifact", file), string(o, "sha256", file)));
  }

  private static String string(JsonObject o, String key, Path file) throws IOException {
    JsonElement e = o.get(key);
    if (e == null || !e.isJsonPrimitive()) {
      throw new IOException(file + " lacks the string field '" + key + "'");
    }
    return e.getAsString();
  }

  private static long integer(JsonObject o, String key, Path file) throws IOException {
    number(o, key, file);
    try {
      return o.get(key).getAsBigDecimal().longValueExact();
    } catch (ArithmeticException e) {
      throw new IOException(
          file + " field '" + key + "' is " + o.get(key) + "; expected an integer", e);
    }
  }

  private static double number(JsonObject o, String key, Path file) throws IOException {
    JsonElement e = o.get(key);
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
      throw new IOException(file + " lacks the number field '" + key + "'");
    }
    return e.getAsDouble();
  }
}
