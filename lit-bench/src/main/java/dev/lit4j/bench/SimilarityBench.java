package dev.lit4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.math.Similarity;
import dev.lit4j.math.internal.SimilarityKernels;
import dev.lit4j.pytorch.ComputeDevice;
import dev.lit4j.pytorch.kernel.PyTorchSimilarity;
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
 * The similarity matrix {@code S = X Yᵀ} of a batch, {@code X, Y} of shape {@code [batch, dim]}:
 * {@code 2·batch²·dim} floating-point operations.
 *
 * <ul>
 *   <li>{@code java}: lit-core's pure-Java {@code Similarity.matrix}, result on the heap. The fork
 *       runs with {@code --add-modules jdk.incubator.vector}, so this is the Vector API kernel.
 *   <li>{@code javaAutoVectorised}: the kernel {@code Similarity.matrix} falls back to on a JVM
 *       without that module (C2-auto-vectorised loops), on the same inputs.
 *   <li>{@code pytorch}: {@code PyTorchSimilarity.matrix}, the lit-core-facing adapter: copies both
 *       inputs to the engine, one GEMM, copies the {@code batch²} result back to a {@code
 *       FloatMatrix}.
 *   <li>{@code pytorchGemm}: the GEMM alone on engine-resident inputs, reading one element of the
 *       result back (which waits for the GEMM on an asynchronous device). This is the ceiling the
 *       other two are reported against.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx8g", "-Dai.djl.offline=true", "--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class SimilarityBench {
  /** Rows of each matrix (the contrastive batch size). */
  @Param({"256", "1024", "4096", "16384"})
  public int batch;

  /** Embedding dimension. */
  @Param({"384", "576", "768"})
  public int dim;

  private FloatMatrix images;
  private FloatMatrix texts;
  private PyTorchSimilarity similarity;
  private NDManager manager;
  private NDArray imagesOnDevice;
  private NDArray textsTransposedOnDevice;

  /** Draws the seeded inputs and opens the engine once per trial. */
  @Setup(Level.Trial)
  public void setUp() {
    images = BenchInputs.unitRows(batch, dim, BenchInputs.IMAGE_SEED);
    texts = BenchInputs.unitRows(batch, dim, BenchInputs.TEXT_SEED);
    ComputeDevice device = ComputeDevice.best();
    similarity = PyTorchSimilarity.on(device);
    manager = device.newBaseManager();
    imagesOnDevice = manager.create(images.toArray(), new Shape(batch, dim));
    textsTransposedOnDevice =
        manager.create(texts.toArray(), new Shape(batch, dim)).transpose().duplicate();
  }

  /** Releases the engine's memory. */
  @TearDown(Level.Trial)
  public void tearDown() {
    similarity.close();
    manager.close();
  }

  /** Pure Java, lit-core. */
  @Benchmark
  public FloatMatrix java() {
    return Similarity.matrix(images, texts);
  }

  /** Pure Java without the Vector API: the fallback kernel. */
  @Benchmark
  public float[] javaAutoVectorised() {
    float[] out = new float[batch * batch];
    SimilarityKernels.autoVectorised()
        .multiplyTransposed(images.toArray(), texts.toArray(), batch, batch, dim, out);
    return out;
  }

  /** PyTorch through the FloatMatrix adapter, including both copies. */
  @Benchmark
  public FloatMatrix pytorch() {
    return similarity.matrix(images, texts);
  }

  /** PyTorch's GEMM alone on resident inputs: the ceiling. */
  @Benchmark
  public float pytorchGemm() {
    try (NDManager call = manager.newSubManager()) {
      call.tempAttachAll(imagesOnDevice, textsTransposedOnDevice);
      return imagesOnDevice.matMul(textsTransposedOnDevice).get(0, 0).getFloat();
    }
  }
}
