package dev.lit4j.pytorch.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
  @TempDir Path dir;

  private static Map<String, FloatTensor> sample() {
    Map<String, FloatTensor> m = new LinkedHashMap<>();
    m.put("a.weight", FloatTensor.of(new int[] {2, 3}, new float[] {1, -2, 3.5f, 0, 1e-30f, -0f}));
    m.put("a.bias", FloatTensor.of(new int[] {3}, new float[] {Float.MIN_VALUE, 7, 8}));
    m.put("scalar", FloatTensor.of(new int[] {}, new float[] {42}));
    return m;
  }

  @Test
  void writeThenRead_returnsTheSameTensorsInOrder() throws IOException {
    Path f = dir.resolve("w.safetensors");
    Safetensors.write(f, sample());
    Map<String, FloatTensor> back = Safetensors.read(f);
    assertEquals(List.copyOf(sample().keySet()), List.copyOf(back.keySet()));
    assertEquals(sample(), back);
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file is left behind");
    }
  }

  @Test
  void layout_followsTheSafetensorsSpecification() throws IOException {
    Path f = dir.resolve("w.safetensors");
    Safetensors.write(f, sample());
    byte[] bytes = Files.readAllBytes(f);
    ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long n = bb.getLong();
    assertEquals(0, (8 + n) % 8, "data starts 8-byte aligned");
    JsonObject header =
        JsonParser.parseString(new String(bytes, 8, (int) n, StandardCharsets.UTF_8))
            .getAsJsonObject();
    JsonObject bias = header.getAsJsonObject("a.bias");
    assertEquals("F32", bias.get("dtype").getAsString());
    assertEquals("[3]", bias.get("shape").toString());
    assertEquals("[24,36]", bias.get("data_offsets").toString());
    // a.bias[1] = 7 sits at data offset 24 + 4, little-endian.
    assertEquals(7f, bb.order(ByteOrder.LITTLE_ENDIAN).getFloat((int) (8 + n + 28)));
    assertEquals(8 + n + 4 * (6 + 3 + 1), bytes.length);
  }

  @Test
  void truncatedFile_isRejectedNamingTheProblem() throws IOException {
    Path f = dir.resolve("w.safetensors");
    Safetensors.write(f, sample());
    byte[] bytes = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 4));
    IOException e = assertThrows(IOException.class, () -> Safetensors.read(f));
    assertTrue(e.getMessage().contains("scalar"), e.getMessage());
  }

  @Test
  void otherDtype_isRejectedNamingIt() throws IOException {
    Path f = dir.resolve("h.safetensors");
    writeRaw(f, "{\"x\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2);
    IOException e = assertThrows(IOException.class, () -> Safetensors.read(f));
    assertTrue(e.getMessage().contains("F16"), e.getMessage());
  }

  @Test
  void overlappingOffsets_areRejected() throws IOException {
    Path f = dir.resolve("o.safetensors");
    writeRaw(
        f,
        "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"y\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
        8);
    IOException e = assertThrows(IOException.class, () -> Safetensors.read(f));
    assertTrue(e.getMessage().contains("starts at byte 4"), e.getMessage());
  }

  @Test
  void absurdHeaderLength_isRejected() throws IOException {
    Path f = dir.resolve("x.safetensors");
    Files.write(
        f, ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
    IOException e = assertThrows(IOException.class, () -> Safetensors.read(f));
    assertTrue(e.getMessage().contains("header length " + (1L << 40)), e.getMessage());
  }

  private static void writeRaw(Path f, String json, int dataBytes) throws IOException {
    byte[] h = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer bb = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    bb.putLong(h.length).put(h);
    Files.write(f, bb.array());
  }
}
