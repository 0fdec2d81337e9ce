package dev.lit4j.pytorch.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertedWeightsTest {
  @TempDir Path dir;

  private final AtomicInteger conversions = new AtomicInteger();

  private Map<String, FloatTensor> convert() {
    conversions.incrementAndGet();
    Map<String, FloatTensor> m = new LinkedHashMap<>();
    m.put("w", FloatTensor.of(new int[] {2, 2}, new float[] {1, -2, 3.25f, Float.MIN_VALUE}));
    m.put("b", FloatTensor.of(new int[] {2}, new float[] {-0f, 1e-30f}));
    return m;
  }

  @Test
  void firstLoadConverts_laterLoadsReadTheCacheAndGetEqualTensors() throws IOException {
    List<Path> where = List.of(dir.resolve("cache"));
    Map<String, FloatTensor> first = ConvertedWeights.load(where, "enc", "abc-1", this::convert);
    assertEquals(1, conversions.get());
    assertTrue(Files.isRegularFile(dir.resolve("cache/enc-abc-1.safetensors")));
    Map<String, FloatTensor> second = ConvertedWeights.load(where, "enc", "abc-1", this::convert);
    assertEquals(1, conversions.get(), "the second load reads the cache");
    assertEquals(first, second);
    assertEquals(List.copyOf(first.keySet()), List.copyOf(second.keySet()));
  }

  @Test
  void anotherKey_isAnotherFile() throws IOException {
    List<Path> where = List.of(dir);
    ConvertedWeights.load(where, "enc", "k1", this::convert);
    ConvertedWeights.load(where, "enc", "k2", this::convert);
    assertEquals(2, conversions.get());
    assertTrue(Files.isRegularFile(dir.resolve("enc-k1.safetensors")));
    assertTrue(Files.isRegularFile(dir.resolve("enc-k2.safetensors")));
  }

  @Test
  void truncatedCacheFile_isConvertedAgainAndReplaced() throws IOException {
    List<Path> where = List.of(dir);
    Map<String, FloatTensor> good = ConvertedWeights.load(where, "enc", "k", this::convert);
    Path file = dir.resolve("enc-k.safetensors");
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 5));
    assertEquals(good, ConvertedWeights.load(where, "enc", "k", this::convert));
    assertEquals(2, conversions.get());
    assertEquals(good, Safetensors.read(file), "the corrupt file was replaced");
  }

  @Test
  void unwritableLocation_fallsToTheNext_andWithNoneTheWeightsStillLoad() throws IOException {
    Path blocked = dir.resolve("blocked");
    Files.writeString(blocked, "a file where a directory should be");
    Path second = dir.resolve("second");
    ConvertedWeights.load(List.of(blocked, second), "enc", "k", this::convert);
    assertTrue(Files.isRegularFile(second.resolve("enc-k.safetensors")));

    Map<String, FloatTensor> w =
        ConvertedWeights.load(List.of(blocked), "other", "k", this::convert);
    assertEquals(2, conversions.get());
    ConvertedWeights.load(List.of(blocked), "other", "k", this::convert);
    assertEquals(3, conversions.get(), "nothing cached: each load converts");
    assertEquals(convert(), w);
  }

  @Test
  void failingConversion_propagatesAndWritesNothing() {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                ConvertedWeights.load(
                    List.of(dir),
                    "enc",
                    "k",
                    () -> {
                      throw new IOException("source missing");
                    }));
    assertEquals("source missing", e.getMessage());
    assertFalse(Files.exists(dir.resolve("enc-k.safetensors")));
  }

  @Test
  void namesThatAreNotSafeFileNameParts_areRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ConvertedWeights.load(List.of(dir), "../enc", "k", this::convert));
    assertTrue(e.getMessage().contains("'../enc'"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> ConvertedWeights.load(List.of(dir), "enc", "a/b", this::convert));
    assertEquals(0, conversions.get());
  }
}
