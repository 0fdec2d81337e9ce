package dev.lit4j.store;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ids of a store's rows, from its {@code index.jsonl}: streamed without being kept ({@link
 * #forEach}), or read once, on first use, and kept with the row of each id ({@link #list}, {@link
 * #rowOf}), so that opening a store costs no heap per row. Thread-safe.
 */
final class StoreIds {
  private final Path dir;
  private final int size;
  private final Object lock = new Object();
  private volatile Loaded loaded; // written under lock

  /** The ids of the rows and the row of each id. */
  private record Loaded(List<String> list, Map<String, Integer> rows) {}

  /**
   * @param dir the store directory
   * @param size the number of rows {@code store.json} states
   */
  StoreIds(Path dir, int size) {
    this.dir = dir;
    this.size = size;
  }

  /**
   * Reads {@code index.jsonl} from start to end and hands each row's id to {@code visitor}.
   *
   * @throws IOException if the index cannot be read or is inconsistent with the store
   */
  void forEach(EmbeddingStore.IdVisitor visitor) throws IOException {
    Path index = dir.resolve(StoreFiles.INDEX);
    int row = 0;
    try (BufferedReader reader = Files.newBufferedReader(index, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (row < size) {
          visitor.visit(row, parseLine(line, row));
        }
        row++;
      }
    }
    if (row != size) {
      throw inconsistent(dir, "index.jsonl has " + row + " rows, store.json says " + size);
    }
  }

  /**
   * {@return the ids in row order (unmodifiable), read on the first call}
   *
   * @throws UncheckedIOException if the index cannot be read or is inconsistent
   */
  List<String> list() {
    return loaded().list();
  }

  /**
   * {@return the row of {@code id}, or null if no row has it}
   *
   * @throws UncheckedIOException if the index cannot be read or is inconsistent
   */
  Integer rowOf(String id) {
    return loaded().rows().get(id);
  }

  private Loaded loaded() {
    Loaded l = loaded;
    if (l == null) {
      synchronized (lock) {
        l = loaded;
        if (l == null) {
          l = read();
          loaded = l;
        }
      }
    }
    return l;
  }

  private Loaded read() {
    try {
      List<String> list = new ArrayList<>(size);
      forEach((row, id) -> list.add(id));
      Map<String, Integer> rows = new HashMap<>(list.size() * 2);
      for (int row = 0; row < list.size(); row++) {
        Integer earlier = rows.putIfAbsent(list.get(row), row);
        if (earlier != null) {
          throw inconsistent(
              dir, "index.jsonl has id '" + list.get(row) + "' on rows " + earlier + " and " + row);
        }
      }
      return new Loaded(Collections.unmodifiableList(list), rows);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  private String parseLine(String line, int row) throws IOException {
    long stated;
    String id;
    try {
      JsonObject o = JsonParser.parseString(line).getAsJsonObject();
      stated = o.get("row").getAsLong();
      id = o.get("id").getAsString();
    } catch (RuntimeException e) {
      throw inconsistent(dir, "index.jsonl line " + (row + 1) + " is malformed: " + e.getMessage());
    }
    if (stated != row) {
      throw inconsistent(
          dir, "index.jsonl line " + (row + 1) + " is for row " + stated + ", expected " + row);
    }
    return id;
  }

  /** {@return the error for a store whose files disagree, naming {@code what} and the fix} */
  static IOException inconsistent(Path dir, String what) {
    return new IOException(
        "the embedding store in " + dir + " is inconsistent: " + what + "; rebuild it");
  }
}
