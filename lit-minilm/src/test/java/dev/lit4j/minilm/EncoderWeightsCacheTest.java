package dev.lit4j.minilm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.io.CacheDirectories;
import dev.lit4j.pytorch.weights.FloatTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The encoder's weights come from the converted-weights cache after the first load, bit for bit the
 * ONNX conversion's. Surefire points {@value CacheDirectories#PROPERTY} at {@code
 * target/lit4j-cache}.
 */
class EncoderWeightsCacheTest {

  @Test
  void keyComesFromTheJarsRecordOfTheOnnxFile() throws IOException {
    Optional<String> key = AllMiniLmL6V2.Encoder.cacheKey();
    assertTrue(key.isPresent(), "the ONNX file is read from the langchain4j jar");
    assertTrue(
        key.get().matches("[0-9a-f]{8}-[0-9]+-v" + AllMiniLmL6V2.CONVERSION_VERSION), key.get());
  }

  @Test
  void cachedWeightsEqualTheConversion_andTheCacheFileIsUsedOnTheNextLoad() throws IOException {
    Map<String, FloatTensor> viaCache = new AllMiniLmL6V2.Encoder().encoderWeights();
    Path file = cacheFile();
    assertTrue(Files.isRegularFile(file), file + " was written");
    long written = Files.getLastModifiedTime(file).toMillis();

    Map<String, FloatTensor> again = new AllMiniLmL6V2.Encoder().encoderWeights();
    assertEquals(written, Files.getLastModifiedTime(file).toMillis(), "read, not rewritten");
    assertEquals(viaCache, again);

    // The reference: the ONNX graph parsed now, without the cache.
    Map<String, FloatTensor> parsed;
    try (var in = AllMiniLmL6V2.class.getResourceAsStream(AllMiniLmL6V2.ONNX_RESOURCE)) {
      parsed = BertOnnxNames.map(OnnxInitializers.read(in));
    }
    assertEquals(List.copyOf(parsed.keySet()), List.copyOf(again.keySet()));
    assertEquals(parsed, again, "bit-identical to the conversion");
  }

  private static Path cacheFile() throws IOException {
    List<Path> dirs = CacheDirectories.candidates("converted-weights");
    String name = AllMiniLmL6V2.CACHE_NAME + "-" + AllMiniLmL6V2.Encoder.cacheKey().orElseThrow();
    for (Path d : dirs) {
      Path f = d.resolve(name + ".safetensors");
      if (Files.exists(f)) {
        return f;
      }
    }
    try (Stream<Path> s = Files.list(dirs.get(0))) {
      return dirs.get(0).resolve(name + ".safetensors (dir holds " + s.toList() + ")");
    }
  }
}
