package dev.lit4j.store;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.lit4j.io.AtomicFiles;
import dev.lit4j.model.TowerIdentity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** File names of a store directory and the (de)serialisation of its JSON files. */
final class StoreFiles {
  static final String EMBEDDINGS = "embeddings.npy";
  static final String INDEX = "index.jsonl";
  static final String REJECTS = "rejects.jsonl";
  static final String METADATA = "store.json";
  static final String PROGRESS = "progress.json";
  static final String PARTIAL = ".partial";
  static final String LOCK = ".lock";

  static final String FORMAT = "lit4j-embedding-store";
  static final int FORMAT_VERSION = 1;

  /** Compact for JSON lines; HTML escaping off so paths stay readable. */
  static final Gson LINES = new GsonBuilder().disableHtmlEscaping().create();

  private static final Gson PRETTY =
      new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create();

  private StoreFiles() {}

  static byte[] toJson(StoreMetadata m) {
    JsonObject o = new JsonObject();
    o.addProperty("format", FORMAT);
    o.addProperty("formatVersion", FORMAT_VERSION);
    o.addProperty("completed", m.completed());
    o.addProperty("size", m.size());
    o.addProperty("dimension", m.dimension());
    o.addProperty("dtype", m.dtype().descr());
    o.add("tower", toJson(m.tower()));
    o.addProperty("manifestSha256", m.manifestSha256());
    o.addProperty("manifestEntries", m.manifestEntries());
    o.addProperty("rejected", m.rejected());
    JsonObject files = new JsonObject();
    files.addProperty("embeddings", EMBEDDINGS);
    files.addProperty("index", INDEX);
    files.addProperty("rejects", REJECTS);
    o.add("files", files);
    return (PRETTY.toJson(o) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  static StoreMetadata readMetadata(Path file) throws IOException {
    JsonObject o = parse(file);
    try {
      String format = o.get("format").getAsString();
      if (!FORMAT.equals(format)) {
        throw new IOException(file + " describes a '" + format + "', not a '" + FORMAT + "'");
      }
      int version = o.get("formatVersion").getAsInt();
      if (version != FORMAT_VERSION) {
        throw new IOException(
            file
                + " has format version "
                + version
                + "; this library reads version "
                + FORMAT_VERSION);
      }
      return new StoreMetadata(
          o.get("completed").getAsBoolean(),
          o.get("size").getAsLong(),
          o.get("dimension").getAsInt(),
          StoreDtype.fromDescr(o.get("dtype").getAsString()),
          tower(o.getAsJsonObject("tower")),
          o.get("manifestSha256").getAsString(),
          o.get("manifestEntries").getAsLong(),
          o.get("rejected").getAsLong());
    } catch (RuntimeException e) {
      throw new IOException(file + " is malformed: " + e, e);
    }
  }

  static byte[] toJson(BuildProgress p) {
    JsonObject o = new JsonObject();
    o.addProperty("formatVersion", FORMAT_VERSION);
    o.addProperty("manifestSha256", p.manifestSha256());
    o.add("tower", toJson(p.tower()));
    o.addProperty("dtype", p.dtype().descr());
    o.addProperty("dimension", p.dimension());
    o.addProperty("entriesDone", p.entriesDone());
    o.addProperty("rowsWritten", p.rowsWritten());
    o.addProperty("indexBytes", p.indexBytes());
    o.addProperty("rejectsBytes", p.rejectsBytes());
    return (PRETTY.toJson(o) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  static BuildProgress readProgress(Path file) throws IOException {
    JsonObject o = parse(file);
    try {
      return new BuildProgress(
          o.get("manifestSha256").getAsString(),
          tower(o.getAsJsonObject("tower")),
          StoreDtype.fromDescr(o.get("dtype").getAsString()),
          o.get("dimension").getAsInt(),
          o.get("entriesDone").getAsLong(),
          o.get("rowsWritten").getAsLong(),
          o.get("indexBytes").getAsLong(),
          o.get("rejectsBytes").getAsLong());
    } catch (RuntimeException e) {
      throw new IOException(file + " is malformed: " + e, e);
    }
  }

  /** Describes an identity in messages: name, checksum and preprocessing. */
  static String describe(TowerIdentity t) {
    return t.describe();
  }

  /**
   * Replaces {@code target} with {@code bytes} atomically: write the sibling {@code <name>.tmp},
   * force it to disk, then {@link AtomicFiles#moveIntoPlace}. The fixed temp name (unlike {@link
   * AtomicFiles#write}'s random one) lets a resumed build recognise a crash leftover as its own.
   */
  static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        ch.write(buffer);
      }
      ch.force(true);
    }
    AtomicFiles.moveIntoPlace(temp, target);
  }

  private static JsonElement toJson(TowerIdentity t) {
    JsonObject o = new JsonObject();
    o.addProperty("name", t.name());
    o.addProperty("checksum", t.checksum());
    o.addProperty("preprocessing", t.preprocessing());
    return o;
  }

  private static TowerIdentity tower(JsonObject o) {
    return new TowerIdentity(
        o.get("name").getAsString(),
        o.get("checksum").getAsString(),
        o.get("preprocessing").getAsString());
  }

  private static JsonObject parse(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    try {
      return JsonParser.parseString(text).getAsJsonObject();
    } catch (RuntimeException e) {
      throw new IOException(file + " is not a JSON object: " + e.getMessage(), e);
    }
  }
}
