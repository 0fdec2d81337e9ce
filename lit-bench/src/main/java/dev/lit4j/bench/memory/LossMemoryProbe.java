package dev.lit4j.bench.memory;

import com.sun.management.ThreadMXBean;
import dev.lit4j.loss.ContrastiveLoss;
import dev.lit4j.loss.LossKind;
import dev.lit4j.loss.LossParameters;
import dev.lit4j.loss.SigmoidLoss;
import dev.lit4j.loss.SoftmaxLoss;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.pytorch.ComputeDevice;
import dev.lit4j.pytorch.kernel.PyTorchContrastiveLoss;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Measures one forward + backward loss call in a fresh process and prints one markdown table row.
 *
 * <pre>
 * java -Xmx16g -Dai.djl.offline=true -cp lit-bench/target/benchmarks.jar \
 *     dev.lit4j.bench.memory.LossMemoryProbe pytorch SOFTMAX CHUNKED 65536 64 1024
 * </pre>
 *
 * <p>The call is made twice and the second measured, so one-time costs (JIT, libtorch's thread
 * pools and GEMM buffers) are left out. Arguments: implementation ({@code java} or {@code
 * pytorch}), loss kind, form ({@code FULL} or {@code CHUNKED}), batch, dimension, chunk rows, and
 * optionally {@code --no-warm-up} to warm up on a 64-row batch instead (for points where one call
 * takes minutes). Two measures, because neither alone is right for both implementations:
 *
 * <ul>
 *   <li><b>peak RSS growth</b> (Linux only): the process's resident high-water mark ({@code VmHWM}
 *       in {@code /proc/self/status}) is reset to the current size by writing {@code 5} to {@code
 *       /proc/self/clear_refs} just before the call, and read after it. This is the true peak of
 *       libtorch's native allocations. For pure Java it mostly shows heap <i>growth</i>, which
 *       depends on the collector, so it is only an upper bound there.
 *   <li><b>bytes allocated</b> during the call on all JVM threads ({@code
 *       ThreadMXBean.getThreadAllocatedBytes}): what pure Java asks of the heap, an upper bound on
 *       its live peak; zero-ish for PyTorch, whose arrays live outside the heap.
 * </ul>
 */
public final class LossMemoryProbe {
  private LossMemoryProbe() {}

  /**
   * Runs the probe described by {@code args}.
   *
   * @throws IOException if {@code /proc/self} cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    boolean pytorch = args[0].equals("pytorch");
    LossKind kind = LossKind.valueOf(args[1]);
    boolean chunked = args[2].equals("CHUNKED");
    int batch = Integer.parseInt(args[3]);
    int dim = Integer.parseInt(args[4]);
    int chunkRows = Integer.parseInt(args[5]);
    boolean warmUp = args.length < 7 || !args[6].equals("--no-warm-up");
    FloatMatrix x = unitRows(batch, dim, 1);
    FloatMatrix y = unitRows(batch, dim, 2);
    LossParameters p = LossParameters.defaultsFor(kind);

    ContrastiveLoss loss;
    PyTorchContrastiveLoss engineLoss = null;
    if (pytorch) {
      engineLoss =
          chunked
              ? PyTorchContrastiveLoss.chunked(kind, ComputeDevice.cpu(), chunkRows)
              : PyTorchContrastiveLoss.of(kind, ComputeDevice.cpu());
      loss = engineLoss;
    } else if (kind == LossKind.SOFTMAX) {
      loss = chunked ? SoftmaxLoss.chunked(chunkRows) : SoftmaxLoss.of();
    } else {
      loss = chunked ? SigmoidLoss.chunked(chunkRows) : SigmoidLoss.of();
    }
    // A first call warms the JIT, the engine's thread pools and GEMM buffers; the second is
    // measured.
    loss.valueAndGradients(x, y, p);
    System.gc();

    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long allocatedBefore = allocatedBytes(threads);
    long rssBefore = statusKiB("VmRSS");
    Files.writeString(Path.of("/proc/self/clear_refs"), "5", StandardCharsets.US_ASCII);
    long start = System.nanoTime();
    double value = loss.valueAndGradients(x, y, p).value();
    double seconds = (System.nanoTime() - start) / 1e9;
    long peakGrowthKiB = statusKiB("VmHWM") - rssBefore;
    long allocated = allocatedBytes(threads) - allocatedBefore;
    if (engineLoss != null) {
      engineLoss.close();
    }
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | %s | %d | %d | %d | %.2f | %.2f | %.1f | %.4f |%n",
        pytorch ? "PyTorch" : "Java",
        kind.name().toLowerCase(Locale.ROOT),
        chunked ? "chunked" : "full",
        batch,
        dim,
        chunkRows,
        peakGrowthKiB / 1048576.0,
        allocated / 1073741824.0,
        seconds,
        value);
  }

  private static long allocatedBytes(ThreadMXBean threads) {
    long sum = 0;
    for (long a : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      sum += Math.max(0, a);
    }
    return sum;
  }

  private static long statusKiB(String field) throws IOException {
    for (String line :
        Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no " + field + " in /proc/self/status; Linux only");
  }

  private static FloatMatrix unitRows(int rows, int dim, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] data = new float[Math.multiplyExact(rows, dim)];
    for (int r = 0; r < rows; r++) {
      double norm = 0;
      for (int c = 0; c < dim; c++) {
        double v = random.nextDouble() - 0.5;
        data[r * dim + c] = (float) v;
        norm += v * v;
      }
      float inv = (float) (1 / Math.sqrt(norm));
      for (int c = 0; c < dim; c++) {
        data[r * dim + c] *= inv;
      }
    }
    return FloatMatrix.wrap(rows, dim, data);
  }
}
