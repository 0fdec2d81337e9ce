package dev.lit4j.bench;

import dev.lit4j.loss.ContrastiveLoss;
import dev.lit4j.loss.LossKind;
import dev.lit4j.loss.LossParameters;
import dev.lit4j.loss.LossResult;
import dev.lit4j.loss.SigmoidLoss;
import dev.lit4j.loss.SoftmaxLoss;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.pytorch.ComputeDevice;
import dev.lit4j.pytorch.kernel.PyTorchContrastiveLoss;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Contrastive losses over a batch of {@code batch} pairs of dimension {@code dim}: forward (value)
 * and forward + backward (value and all gradients), full ({@code batch × batch} logits at once) or
 * chunked ({@code chunkRows} rows at a time), pure Java (lit-core) against PyTorch (the {@code
 * PyTorchContrastiveLoss} adapter: inputs copied in, gradients copied out).
 *
 * <p>Work: the forward pass is one {@code 2·batch²·dim} GEMM; forward + backward three (logits,
 * {@code G·Y}, {@code Gᵀ·X}), and four for chunked softmax, which recomputes the logits in its
 * second pass. The report compares forward + backward against three times the GEMM time of {@link
 * SimilarityBench} at the same shape.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx8g", "-Dai.djl.offline=true"})
@State(Scope.Benchmark)
public class LossBench {
  /** How the logits are held. */
  public enum Form {
    /** All {@code batch × batch} logits at once. */
    FULL,
    /** {@code chunkRows} rows of logits at a time. */
    CHUNKED
  }

  /** Pairs in the batch. */
  @Param({"256", "1024", "4096", "16384"})
  public int batch;

  /** Embedding dimension. */
  @Param({"384", "576", "768"})
  public int dim;

  /** Softmax or sigmoid. */
  @Param({"SOFTMAX", "SIGMOID"})
  public LossKind kind;

  /** Full or chunked logits. */
  @Param({"FULL", "CHUNKED"})
  public Form form;

  /** Rows per chunk in the chunked form. */
  @Param({"1024"})
  public int chunkRows;

  private FloatMatrix images;
  private FloatMatrix texts;
  private LossParameters parameters;
  private ContrastiveLoss java;
  private PyTorchContrastiveLoss pytorch;

  /** Draws the seeded inputs and builds both implementations once per trial. */
  @Setup(Level.Trial)
  public void setUp() {
    images = BenchInputs.unitRows(batch, dim, BenchInputs.IMAGE_SEED);
    texts = BenchInputs.unitRows(batch, dim, BenchInputs.TEXT_SEED);
    parameters = LossParameters.defaultsFor(kind);
    boolean chunked = form == Form.CHUNKED;
    if (kind == LossKind.SOFTMAX) {
      java = chunked ? SoftmaxLoss.chunked(chunkRows) : SoftmaxLoss.of();
    } else {
      java = chunked ? SigmoidLoss.chunked(chunkRows) : SigmoidLoss.of();
    }
    pytorch =
        chunked
            ? PyTorchContrastiveLoss.chunked(kind, ComputeDevice.best(), chunkRows)
            : PyTorchContrastiveLoss.of(kind, ComputeDevice.best());
  }

  /** Releases the engine's memory. */
  @TearDown(Level.Trial)
  public void tearDown() {
    pytorch.close();
  }

  /** Pure Java, value only. */
  @Benchmark
  public double javaForward() {
    return java.value(images, texts, parameters);
  }

  /** Pure Java, value and gradients. */
  @Benchmark
  public LossResult javaForwardBackward() {
    return java.valueAndGradients(images, texts, parameters);
  }

  /** PyTorch, value only. */
  @Benchmark
  public double pytorchForward() {
    return pytorch.value(images, texts, parameters);
  }

  /**
   * PyTorch, value and gradients (full form: explicit kernel for softmax, autograd for sigmoid).
   */
  @Benchmark
  public LossResult pytorchForwardBackward() {
    return pytorch.valueAndGradients(images, texts, parameters);
  }
}
