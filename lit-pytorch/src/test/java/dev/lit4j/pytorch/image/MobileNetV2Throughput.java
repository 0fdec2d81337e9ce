package dev.lit4j.pytorch.image;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Measures images/s of the default tower at batch 32 on this machine (not a test; run by hand):
 * {@code java -cp <test classpath> dev.lit4j.pytorch.image.MobileNetV2Throughput [batches]}.
 * Reports preprocessing (640×480 ARGB → 224×224) and inference separately.
 */
final class MobileNetV2Throughput {
  private MobileNetV2Throughput() {}

  public static void main(String[] args) {
    int batches = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Random r = new Random(42);
    List<BufferedImage> images = new ArrayList<>();
    for (int i = 0; i < MobileNetV2Tower.BATCH_SIZE; i++) {
      BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_INT_ARGB);
      for (int y = 0; y < 480; y++) {
        for (int x = 0; x < 640; x++) {
          img.setRGB(x, y, r.nextInt());
        }
      }
      images.add(img);
    }
    try (MobileNetV2Tower tower = MobileNetV2Tower.load()) {
      tower.embedAll(images); // warm-up
      long pre = System.nanoTime();
      for (int b = 0; b < batches; b++) {
        for (BufferedImage img : images) {
          MobileNetV2Tower.preprocessing().apply(img);
        }
      }
      double preSeconds = (System.nanoTime() - pre) / 1e9;
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      for (int b = 0; b < batches; b++) {
        tower.embedAll(images);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
      int n = batches * images.size();
      System.out.printf(
          "embedAll: %d images in %.2f s = %.1f images/s (batch %d, %d threads available)%n",
          n,
          seconds,
          n / seconds,
          MobileNetV2Tower.BATCH_SIZE,
          Runtime.getRuntime().availableProcessors());
      System.out.printf(
          "process CPU time %.2f s = %.1f images per CPU-second (load average %.1f)%n",
          cpuSeconds, n / cpuSeconds, os.getSystemLoadAverage());
      System.out.printf(
          "of which preprocessing 640x480 -> 224x224: %.1f images/s%n", n / preSeconds);
    }
  }
}
