package dev.lit4j.defaultmodel.internal;

import dev.lit4j.io.Checksums;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The list of a bundled model's files, read from a small text resource so that the jar is never
 * scanned: a header line, then one line per file, {@code <sha256> <size> <path>}, sorted by path,
 * with {@code /}-separated paths relative to the model directory.
 *
 * <pre>
 * # lit4j model index 1: sha256 size path
 * 3f…e1 1187 lit-model.json
 * 9a…07 2009392 text-tower/text-tower.safetensors
 * </pre>
 *
 * <p>The {@link #key()} (a prefix of the SHA-256 of the index text, which holds every file's
 * checksum) names the cache directory, so a changed model lands in a new directory and an old one
 * is never overwritten in place. Immutable and thread-safe.
 *
 * @param entries the files, sorted by path
 * @param key 16 lower-case hexadecimal characters identifying this exact set of files
 */
public record ModelIndex(List<Entry> entries, String key) {

  /** The first line of every index. */
  public static final String HEADER = "# lit4j model index 1: sha256 size path";

  /** The one file every model directory holds; the index must list it. */
  public static final String CONFIG_FILE = "lit-model.json";

  private static final int KEY_LENGTH = 16;
  private static final Pattern LINE = Pattern.compile("([0-9a-f]{64}) (0|[1-9][0-9]{0,18}) (.+)");

  /**
   * One file of the model.
   *
   * @param sha256 its SHA-256, 64 lower-case hexadecimal characters
   * @param size its length in bytes
   * @param path its {@code /}-separated path relative to the model directory
   */
  public record Entry(String sha256, long size, String path) {
    /**
     * Validates the path: relative, normalised, inside the model directory.
     *
     * @param sha256 its SHA-256, 64 lower-case hexadecimal characters
     * @param size its length in bytes
     * @param path its {@code /}-separated path relative to the model directory
     */
    public Entry {
      Objects.requireNonNull(sha256, "sha256");
      Objects.requireNonNull(path, "path");
      if (size < 0) {
        throw new IllegalArgumentException("size of " + path + " is negative: " + size);
      }
      checkPath(path);
    }

    /**
     * Resolves this entry's path against {@code directory}.
     *
     * @param directory a model directory
     * @return the file's path in it
     */
    public Path resolveIn(Path directory) {
      return directory.resolve(
          path.replace('/', directory.getFileSystem().getSeparator().charAt(0)));
    }
  }

  /**
   * Validates and copies.
   *
   * @param entries the files, sorted by path
   * @param key 16 lower-case hexadecimal characters identifying this exact set of files
   */
  public ModelIndex {
    entries = List.copyOf(entries);
    Objects.requireNonNull(key, "key");
  }

  /**
   * Parses an index.
   *
   * @param source names the index in messages
   * @param text the index text
   * @return the index
   * @throws IllegalArgumentException naming the source and the line if a line is malformed, a path
   *     is listed twice, or {@value #CONFIG_FILE} is missing
   */
  public static ModelIndex parse(String text, String source) {
    Objects.requireNonNull(text, "text");
    List<Entry> entries = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    try (BufferedReader reader = new BufferedReader(new StringReader(text))) {
      String header = reader.readLine();
      if (!HEADER.equals(header)) {
        throw new IllegalArgumentException(
            source + " does not start with '" + HEADER + "' but with '" + header + "'");
      }
      int lineNumber = 1;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lineNumber++;
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
          throw new IllegalArgumentException(
              source + " line " + lineNumber + " '" + line + "' is not '<sha256> <size> <path>'");
        }
        Entry e;
        try {
          e = new Entry(m.group(1), Long.parseLong(m.group(2)), m.group(3));
        } catch (IllegalArgumentException bad) {
          throw new IllegalArgumentException(
              source + " line " + lineNumber + ": " + bad.getMessage(), bad);
        }
        if (!seen.add(e.path())) {
          throw new IllegalArgumentException(
              source + " line " + lineNumber + " lists " + e.path() + " a second time");
        }
        entries.add(e);
      }
    } catch (IOException e) {
      throw new IllegalStateException("reading a string cannot fail", e);
    }
    if (!seen.contains(CONFIG_FILE)) {
      throw new IllegalArgumentException(
          source + " does not list " + CONFIG_FILE + "; it does not describe a model directory");
    }
    entries.sort((a, b) -> a.path().compareTo(b.path()));
    MessageDigest digest = Checksums.newSha256();
    digest.update(text.getBytes(StandardCharsets.UTF_8));
    return new ModelIndex(entries, Checksums.toHex(digest).substring(0, KEY_LENGTH));
  }

  /**
   * Reads and parses an index from {@code in} (UTF-8), which is read to its end but not closed.
   *
   * @param in the index text, UTF-8
   * @param source names the index in messages
   * @return the index
   * @throws IOException if the stream cannot be read
   * @throws IllegalArgumentException as {@link #parse}
   */
  public static ModelIndex read(InputStream in, String source) throws IOException {
    return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), source);
  }

  /**
   * {@return whether {@code directory} holds every listed file with its size and SHA-256 (files not
   * listed are ignored)} Reads every listed file.
   *
   * @param directory a model directory
   * @throws IOException if a present file cannot be read
   */
  public boolean isCompleteAt(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return false;
    }
    for (Entry e : entries) {
      Path file = e.resolveIn(directory);
      if (!Files.isRegularFile(file)
          || Files.size(file) != e.size()
          || !Checksums.sha256Hex(file).equals(e.sha256())) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@return the index text for {@code entries} (any order; written sorted by path)}
   *
   * @param entries the files
   */
  public static String format(List<Entry> entries) {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort((a, b) -> a.path().compareTo(b.path()));
    StringBuilder out = new StringBuilder(HEADER).append('\n');
    for (Entry e : sorted) {
      out.append(e.sha256()).append(' ').append(e.size()).append(' ').append(e.path()).append('\n');
    }
    return out.toString();
  }

  private static void checkPath(String path) {
    boolean bad = path.isEmpty() || path.startsWith("/") || path.contains("\\");
    for (String part : path.split("/", -1)) {
      bad |= part.isEmpty() || part.equals(".") || part.equals("..");
    }
    if (bad) {
      throw new IllegalArgumentException(
          "path '"
              + path
              + "' must be relative, '/'-separated and inside the model directory (no '.', '..'"
              + " or empty parts)");
    }
  }
}
