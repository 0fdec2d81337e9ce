package dev.lit4j.testing;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded synthetic RGB images for benchmarks and throughput tests: a smooth gradient with pixel
 * noise, so decoders and towers see realistic, non-constant content. The same seed gives the same
 * pixels.
 */
public final class SyntheticImages {
  private SyntheticImages() {}

  /** Returns {@code count} images of {@code width × height} drawn from {@code new Random(seed)}. */
  public static List<BufferedImage> of(int count, int width, int height, long seed) {
    Random random = new Random(seed);
    List<BufferedImage> out = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      out.add(one(width, height, random));
    }
    return out;
  }

  /**
   * Returns one image of {@code width × height}, drawing its phase and noise from {@code random}.
   */
  public static BufferedImage one(int width, int height, Random random) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] pixels = new int[width * height];
    int phase = random.nextInt(256);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = clamp(x * 255 / width + random.nextInt(64) - 32);
        int g = clamp(y * 255 / height + random.nextInt(64) - 32);
        int b = clamp(phase + random.nextInt(64) - 32);
        pixels[y * width + x] = (r << 16) | (g << 8) | b;
      }
    }
    image.setRGB(0, 0, width, height, pixels, 0, width);
    return image;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
