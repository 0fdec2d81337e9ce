package dev.lit4j.bench.endtoend;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.sun.management.OperatingSystemMXBean;
import dev.lit4j.io.CacheDirectories;
import dev.lit4j.model.LitModel;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How long {@link LitModel#loadDefault()} takes: the PyTorch engine's start, the first load in a
 * fresh JVM, and later loads in the same JVM, each as wall time and as CPU time of the whole
 * process (which a busy machine inflates less than wall time). Prints one markdown table row per
 * measurement.
 *
 * <pre>
 * java -Dai.djl.offline=true -cp lit-bench/target/benchmarks.jar \
 *     dev.lit4j.bench.endtoend.ModelLoadBenchmark [--cold]
 * </pre>
 *
 * <p>By default the converted-weights cache ({@link CacheDirectories}) is used as it is, so the
 * first run on a machine converts and later runs read; {@code --cold} points it at a new empty
 * directory, so this run's first load converts (the cost a user pays once per machine). Run it in
 * several fresh JVMs to see the spread of the first load.
 */
public final class ModelLoadBenchmark {
  private static final int LATER_LOADS = 7;

  private ModelLoadBenchmark() {}

  /**
   * Runs the measurements and prints them.
   *
   * @param args {@code --cold} to start from an empty cache
   * @throws IOException if the model cannot be loaded or the cache directory created
   */
  public static void main(String[] args) throws IOException {
    boolean cold = List.of(args).contains("--cold");
    if (cold) {
      Path empty = Files.createTempDirectory("lit4j-cold-cache");
      System.setProperty(CacheDirectories.PROPERTY, empty.toString());
    }
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    System.out.println("| step | wall ms | process CPU ms |");
    System.out.println("|---|---:|---:|");
    long c0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    try (NDManager m = NDManager.newBaseManager(Engine.getEngine("PyTorch").getEngineName())) {
      m.create(1f).add(1f).getFloat();
    }
    row("PyTorch engine start", System.nanoTime() - t0, os.getProcessCpuTime() - c0);
    List<Long> walls = new ArrayList<>();
    List<Long> cpus = new ArrayList<>();
    for (int i = 0; i <= LATER_LOADS; i++) {
      long c = os.getProcessCpuTime();
      long t = System.nanoTime();
      try (LitModel model = LitModel.loadDefault()) {
        long wall = System.nanoTime() - t;
        long cpu = os.getProcessCpuTime() - c;
        if (i == 0) {
          row("first load" + (cold ? " (empty cache: converts)" : ""), wall, cpu);
        } else {
          walls.add(wall);
          cpus.add(cpu);
        }
      }
    }
    walls.sort(null);
    cpus.sort(null);
    System.out.printf(
        Locale.ROOT,
        "| later loads, median of %d (min–max) | %.0f (%.0f–%.0f) | %.0f (%.0f–%.0f) |%n",
        LATER_LOADS,
        walls.get(LATER_LOADS / 2) / 1e6,
        walls.get(0) / 1e6,
        walls.get(LATER_LOADS - 1) / 1e6,
        cpus.get(LATER_LOADS / 2) / 1e6,
        cpus.get(0) / 1e6,
        cpus.get(LATER_LOADS - 1) / 1e6);
  }

  private static void row(String step, long wallNanos, long cpuNanos) {
    System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f |%n", step, wallNanos / 1e6, cpuNanos / 1e6);
  }
}
