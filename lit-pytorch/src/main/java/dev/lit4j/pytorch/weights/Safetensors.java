package dev.lit4j.pytorch.weights;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.lit4j.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes float32 tensors in the <a
 * href="https://huggingface.co/docs/safetensors/index">safetensors</a> format, readable from Python
 * with {@code safetensors.torch.load_file}: an 8-byte little-endian unsigned header length {@code
 * N}, {@code N} bytes of UTF-8 JSON {@code {name: {"dtype": "F32", "shape": [...], "data_offsets":
 * [begin, end]}}} (offsets relative to the end of the header), then the raw little-endian data.
 *
 * <p>Only {@code F32} is supported; the reader checks that the offsets tile the data region exactly
 * (no gaps, no overlaps), as the format requires. Stateless and thread-safe.
 *
 * <p>Why not DJL's {@code NDList.decode}/{@code encode(Encoding.SAFETENSORS)}: it needs an engine
 * and materialises native arrays where the callers want heap tensors (to digest, checkpoint and
 * compare them), and on DJL 0.36.0 it accepts files the format forbids: two tensors over
 * overlapping bytes and data with gaps both decode without an error (checked on 2026-11-29), so a
 * corrupt checkpoint would load silently.
 */
public final class Safetensors {
  /** Headers beyond this are rejected as corrupt rather than allocated (the format's own cap). */
  private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private static final String METADATA_KEY = "__metadata__";

  private Safetensors() {}

  /**
   * Writes {@code tensors} to {@code file} atomically (temporary file in the same directory, then a
   * move), in the map's iteration order. Public for the trainer's checkpoints.
   *
   * @param file the file to create or replace
   * @param tensors the tensors by name
   * @throws IOException if the file cannot be written
   * @throws IllegalArgumentException if a tensor is named {@code __metadata__}
   */
  public static void write(Path file, Map<String, FloatTensor> tensors) throws IOException {
    JsonObject header = new JsonObject();
    JsonObject metadata = new JsonObject();
    metadata.addProperty("format", "pt");
    header.add(METADATA_KEY, metadata);
    long offset = 0;
    for (Map.Entry<String, FloatTensor> e : tensors.entrySet()) {
      if (e.getKey().equals(METADATA_KEY)) {
        throw new IllegalArgumentException("tensor name " + METADATA_KEY + " is reserved");
      }
      JsonObject info = new JsonObject();
      info.addProperty("dtype", "F32");
      JsonArray shape = new JsonArray();
      for (int d : e.getValue().shape()) {
        shape.add(d);
      }
      info.add("shape", shape);
      JsonArray offsets = new JsonArray();
      offsets.add(offset);
      offset += 4L * e.getValue().size();
      offsets.add(offset);
      info.add("data_offsets", offsets);
      header.add(e.getKey(), info);
    }
    byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
    // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) {
      head.put((byte) ' ');
    }
    head.flip();

    AtomicFiles.write(
        file,
        out -> {
          out.write(head.array(), 0, head.limit());
          ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
          for (FloatTensor t : tensors.values()) {
            FloatBuffer values = t.values();
            while (values.hasRemaining()) {
              if (!buf.hasRemaining()) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
              }
              buf.putFloat(values.get());
            }
          }
          out.write(buf.array(), 0, buf.position());
        });
  }

  /**
   * Reads every tensor of {@code file}, in header order.
   *
   * @param file a float32 safetensors file
   * @return the tensors by name
   * @throws IOException if the file cannot be read or is not a valid float32 safetensors file (the
   *     message names the file and the problem)
   */
  public static Map<String, FloatTensor> read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileSize = ch.size();
      if (fileSize < 8) {
        throw corrupt(file, "file has " + fileSize + " bytes, fewer than the 8-byte header length");
      }
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0);
      long headerLen = lenBuf.flip().getLong();
      if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES || headerLen > fileSize - 8) {
        throw corrupt(
            file, "header length " + headerLen + " is outside [1, " + (fileSize - 8) + "]");
      }
      ByteBuffer headBuf = ByteBuffer.allocate((int) headerLen);
      readFully(ch, headBuf, 8);
      JsonObject header;
      try {
        header =
            JsonParser.parseString(new String(headBuf.array(), StandardCharsets.UTF_8))
                .getAsJsonObject();
      } catch (JsonParseException | IllegalStateException e) {
        throw corrupt(file, "header is not a JSON object: " + e.getMessage());
      }
      long dataStart = 8 + headerLen;
      long dataSize = fileSize - dataStart;
      List<Entry> entries = new ArrayList<>();
      for (Map.Entry<String, JsonElement> e : header.entrySet()) {
        if (!e.getKey().equals(METADATA_KEY)) {
          entries.add(parseEntry(file, e.getKey(), e.getValue(), dataSize));
        }
      }
      checkTiling(file, entries, dataSize);
      Map<String, FloatTensor> out = new LinkedHashMap<>();
      for (Entry en : entries) {
        ByteBuffer data =
            ByteBuffer.allocate(Math.toIntExact(en.end - en.begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, data, dataStart + en.begin);
        float[] values = new float[data.capacity() / 4];
        data.flip().asFloatBuffer().get(values);
        out.put(en.name, FloatTensor.wrap(en.shape, values));
      }
      return out;
    }
  }

  private record Entry(String name, int[] shape, long begin, long end) {}

  private static Entry parseEntry(Path file, String name, JsonElement el, long dataSize)
      throws IOException {
    try {
      JsonObject info = el.getAsJsonObject();
      String dtype = info.get("dtype").getAsString();
      if (!dtype.equals("F32")) {
        throw corrupt(file, "tensor '" + name + "' has dtype " + dtype + "; only F32 is supported");
      }
      JsonArray shapeJson = info.getAsJsonArray("shape");
      int[] shape = new int[shapeJson.size()];
      long count = 1;
      for (int i = 0; i < shape.length; i++) {
        long d = shapeJson.get(i).getAsLong();
        if (d < 0 || d > Integer.MAX_VALUE) {
          throw corrupt(file, "tensor '" + name + "' has dimension " + d);
        }
        shape[i] = (int) d;
        count *= d;
      }
      JsonArray offsets = info.getAsJsonArray("data_offsets");
      long begin = offsets.get(0).getAsLong();
      long end = offsets.get(1).getAsLong();
      if (offsets.size() != 2 || begin < 0 || end < begin || end > dataSize) {
        throw corrupt(
            file,
            "tensor '"
                + name
                + "' has data_offsets "
                + offsets
                + " outside the data region [0, "
                + dataSize
                + "]");
      }
      if (count > Integer.MAX_VALUE || end - begin != 4 * count) {
        throw corrupt(
            file,
            "tensor '"
                + name
                + "' spans "
                + (end - begin)
                + " bytes but its shape needs "
                + 4 * count);
      }
      return new Entry(name, shape, begin, end);
    } catch (NullPointerException
        | ClassCastException
        | IllegalStateException
        | IndexOutOfBoundsException
        | NumberFormatException e) {
      throw corrupt(file, "header entry '" + name + "' is malformed: " + e);
    }
  }

  private static void checkTiling(Path file, List<Entry> entries, long dataSize)
      throws IOException {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(Entry::begin));
    long expected = 0;
    for (Entry e : sorted) {
      if (e.begin != expected) {
        throw corrupt(
            file, "tensor '" + e.name + "' starts at byte " + e.begin + ", expected " + expected);
      }
      expected = e.end;
    }
    if (expected != dataSize) {
      throw corrupt(
          file, "tensors cover " + expected + " data bytes but the file holds " + dataSize);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file at byte " + pos);
      }
      pos += n;
    }
  }

  private static IOException corrupt(Path file, String problem) {
    return new IOException("not a valid float32 safetensors file: " + file + ": " + problem);
  }
}
