package dev.lit4j.pytorch.kernel;

import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static dev.lit4j.testing.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.util.cuda.CudaUtils;
import dev.lit4j.loss.LossKind;
import dev.lit4j.loss.LossParameters;
import dev.lit4j.loss.LossResult;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.pytorch.ComputeDevice;
import dev.lit4j.pytorch.GpuDevices;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both contrastive losses, full and chunked, on the GPU against the same kernels on the CPU: value
 * and every gradient agree to float32 tolerance (the GPU sums in another order, and cuBLAS may use
 * TF32-free but differently blocked GEMMs). And the chunked loss at B = 65,536 on the GPU, whose
 * peak memory is reported.
 */
@Tag("gpu")
class GpuLossKernelsTest {
  private static final int B = 300;
  private static final int D = 64;

  /** Reordered float32 sums over B·D terms; the CPU kernels themselves are tested elsewhere. */
  private static final double RTOL = 1e-4;

  private static final double ATOL = 1e-6;

  @ParameterizedTest
  @CsvSource({"SOFTMAX, 0", "SOFTMAX, 37", "SIGMOID, 0", "SIGMOID, 37"})
  void valueAndGradients_onTheGpu_equalTheCpus(LossKind kind, int chunkRows) {
    ComputeDevice gpu = GpuDevices.first();
    FloatMatrix x = Batches.unitRows(B, D, 1);
    FloatMatrix y = Batches.noisyCopy(x, 0.5, 2);
    LossParameters p = new LossParameters(Math.log(12), kind == LossKind.SIGMOID ? -8 : 0);
    LossResult cpu;
    LossResult onGpu;
    try (PyTorchContrastiveLoss c = loss(kind, ComputeDevice.cpu(), chunkRows);
        PyTorchContrastiveLoss g = loss(kind, gpu, chunkRows)) {
      cpu = c.valueAndGradients(x, y, p);
      onGpu = g.valueAndGradients(x, y, p);
      assertClose(c.value(x, y, p), g.value(x, y, p), RTOL, ATOL, "value()");
    }
    assertTrue(cpu.value() > 0, "a loss of " + cpu.value());
    assertClose(cpu.value(), onGpu.value(), RTOL, ATOL, "loss");
    assertAllClose(cpu.gradImages().toArray(), onGpu.gradImages().toArray(), RTOL, ATOL);
    assertAllClose(cpu.gradTexts().toArray(), onGpu.gradTexts().toArray(), RTOL, ATOL);
    assertClose(cpu.gradLogTemperature(), onGpu.gradLogTemperature(), RTOL, ATOL, "d/d log t");
    assertClose(cpu.gradBias(), onGpu.gradBias(), RTOL, ATOL, "d/d b");
  }

  /**
   * The chunked softmax loss at B = 65,536, D = 768 (B = 4,096 with the CPU standing in): its value
   * and gradients are finite, its memory above the baseline stays far below one B × B float32
   * logits matrix (17 GiB at this size), and the peak is appended to {@code target/gpu-report.md}.
   */
  @Test
  void chunkedSoftmax_atB65536_staysFarBelowTheFullLogits_andReportsItsPeak() throws Exception {
    ComputeDevice device = GpuDevices.first();
    boolean gpu = !device.isCpu();
    int b = gpu ? 65_536 : 4_096;
    int d = 768;
    int chunk = 4_096;
    FloatMatrix x = Batches.unitRows(b, d, 3);
    FloatMatrix y = Batches.noisyCopy(x, 0.5, 4);
    long logitsBytes = 4L * b * b;
    AtomicLong peak = new AtomicLong();
    long baseline = gpu ? used(device) : 0;
    Thread sampler = null;
    if (gpu) {
      sampler = new Thread(() -> sample(device, peak), "gpu-memory-sampler");
      sampler.setDaemon(true);
      sampler.start();
    }
    long t0 = System.nanoTime();
    LossResult r;
    try (PyTorchContrastiveLoss loss =
        PyTorchContrastiveLoss.chunked(LossKind.SOFTMAX, device, chunk)) {
      r = loss.valueAndGradients(x, y, LossParameters.SOFTMAX_DEFAULT);
    } finally {
      if (sampler != null) {
        sampler.interrupt();
        sampler.join();
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(Double.isFinite(r.value()) && r.value() > 0, "loss " + r.value());
    assertTrue(Double.isFinite(r.gradLogTemperature()), "d/d log t " + r.gradLogTemperature());
    String line;
    if (gpu) {
      long above = peak.get() - baseline;
      assertTrue(
          above < logitsBytes / 4,
          "the chunked loss used "
              + above
              + " bytes above the baseline, a quarter of the full logits is "
              + logitsBytes / 4);
      line =
          String.format(
              Locale.ROOT,
              "| %s | %s | chunked softmax fwd+bwd | B = %d, D = %d, chunk %d | peak %.2f GiB"
                  + " above a baseline of %.2f GiB (full logits alone: %.1f GiB) | %.2f s |",
              Instant.now(),
              device,
              b,
              d,
              chunk,
              above / (double) (1L << 30),
              baseline / (double) (1L << 30),
              logitsBytes / (double) (1L << 30),
              seconds);
    } else {
      line =
          String.format(
              Locale.ROOT,
              "| %s | cpu standing in | chunked softmax fwd+bwd | B = %d, D = %d, chunk %d |"
                  + " (no GPU memory to measure) | %.2f s |",
              Instant.now(),
              b,
              d,
              chunk,
              seconds);
    }
    System.out.println(line);
    Path report = Path.of("target", "gpu-report.md");
    Files.createDirectories(report.getParent());
    Files.writeString(
        report,
        line + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private static PyTorchContrastiveLoss loss(LossKind kind, ComputeDevice device, int chunkRows) {
    return chunkRows == 0
        ? PyTorchContrastiveLoss.of(kind, device)
        : PyTorchContrastiveLoss.chunked(kind, device, chunkRows);
  }

  /** Device memory in use (the caching allocator's reservations included), in bytes. */
  private static long used(ComputeDevice device) {
    MemoryUsage m = CudaUtils.getGpuMemory(device.toDjlDevice());
    return m.getUsed();
  }

  private static void sample(ComputeDevice device, AtomicLong peak) {
    while (!Thread.currentThread().isInterrupted()) {
      peak.accumulateAndGet(used(device), Math::max);
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
