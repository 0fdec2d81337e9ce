package dev.lit4j.bench.endtoend;

import dev.lit4j.model.ImageTower;
import dev.lit4j.store.EmbeddingStoreBuilder;
import dev.lit4j.store.StoreBuildSummary;
import dev.lit4j.testing.SyntheticImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Embedding-store pre-computation: {@link EmbeddingStoreBuilder} over synthetic PNG files (decode,
 * preprocess, image tower, write), each repetition into a fresh store directory.
 */
final class StoreThroughput {
  private final ImageTower tower;
  private final Path workDir;

  StoreThroughput(ImageTower tower, Path workDir) {
    this.tower = tower;
    this.workDir = workDir;
  }

  /**
   * Writes {@code count} {@code width}×{@code height} PNGs and a {@code manifest.csv} listing them
   * into a new directory; returns the manifest.
   */
  Path writeImages(String name, int count, int width, int height) throws IOException {
    Path dir = Files.createDirectories(workDir.resolve(name));
    Random random = new Random(count);
    StringBuilder manifest = new StringBuilder("path\n");
    for (int k = 0; k < count; k++) {
      BufferedImage image = SyntheticImages.one(width, height, random);
      String file = String.format("img-%03d.png", k);
      ImageIO.write(image, "png", dir.resolve(file).toFile());
      manifest.append(file).append('\n');
    }
    Path csv = dir.resolve("manifest.csv");
    Files.writeString(csv, manifest, StandardCharsets.UTF_8);
    return csv;
  }

  /** Builds a store from {@code warmup} once, then from {@code manifest}; returns images/s. */
  Samples build(Path warmup, Path manifest, int repetitions) throws IOException {
    buildOnce(warmup, "warmup");
    double[] rates = new double[repetitions];
    for (int r = 0; r < repetitions; r++) {
      rates[r] = buildOnce(manifest, "run-" + r).imagesPerSecond();
    }
    return new Samples(rates);
  }

  private StoreBuildSummary buildOnce(Path manifest, String name) throws IOException {
    Path out = workDir.resolve("store-" + name);
    StoreBuildSummary summary = EmbeddingStoreBuilder.builder(manifest, out, tower).build();
    if (summary.rejected() != 0) {
      throw new IllegalStateException(
          summary.rejected() + " synthetic images were rejected; see " + out.resolve("rejects"));
    }
    return summary;
  }
}
