package dev.lit4j.pytorch.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * {@link AdamW}'s update of one CPU float32 tensor of rank ≥ 1 in a single pass over its memory:
 * the weight, gradient and both moments are read through direct buffers onto the tensors' own
 * storage, a chunk at a time, and the weight and moments are written back in place. No tensor is
 * allocated.
 *
 * <p>The arithmetic is the reference kernel's, operation for operation and in its order: each
 * libtorch element-wise CPU kernel that {@link AdamW.Kernel#REFERENCE} calls on a float32 tensor of
 * rank ≥ 1 ({@code mul}, {@code add}, {@code sub}, {@code div} by a tensor or by a double scalar,
 * which is first cast to float32, and {@code square} = {@code x·x}) rounds every element once to
 * float32, and Java's float arithmetic does the same (IEEE 754 round-to-nearest, no fused
 * multiply-add). The one exception is the square root: this kernel's {@code (float)
 * Math.sqrt(double)} is correctly rounded, while libtorch 2.7.1's CPU float32 {@code sqrt} is not
 * (measured: 647 of 100 000 random inputs one unit in the last place away from the correctly
 * rounded root). So the denominator {@code √v̂ + ε} can differ by one ulp, the step by a relative
 * 1.2·10⁻⁷, and a weight by one ulp after rounding; the moments of one step are bit-identical.
 * {@code AdamWTest} checks both on the real engine. Exact resume is unaffected: a run is resumed
 * with the same kernel.
 *
 * <p>The old kernel's cost was not its ten libtorch calls but its memory traffic: 14 passes over
 * every tensor, five of them into freshly allocated temporaries (for the 7.8 M-value word table,
 * five 31 MB allocations per step). This kernel reads four arrays and writes three, once.
 *
 * <p>Only used where this holds and is safe: every array on the CPU, float32, of rank ≥ 1 (a rank-0
 * tensor's arithmetic with a double scalar, which is also rank 0, is promoted to float64 by
 * libtorch; the few scalar parameters stay on the reference kernel), and the weight's direct buffer
 * really aliases its storage (a non-contiguous tensor would hand out a copy, and writes to a copy
 * would be lost); {@link #accepts} checks this and {@link AdamW} falls back to the reference kernel
 * otherwise. Moments are this optimiser's own contiguous arrays; a gradient is only read, so a copy
 * of it would still give the right values.
 *
 * <p>Not thread-safe (it owns its chunk buffers).
 */
final class FusedAdamUpdate {
  /** Values per chunk: four 64 KiB float arrays stay in a core's L2 cache. */
  private static final int CHUNK = 16 * 1024;

  private final float[] w = new float[CHUNK];
  private final float[] g = new float[CHUNK];
  private final float[] m = new float[CHUNK];
  private final float[] v = new float[CHUNK];

  /** Weights already checked for aliasing, by identity (each parameter's live array). */
  private final Map<NDArray, Boolean> aliases = new IdentityHashMap<>();

  /**
   * The per-step scalars of one parameter's update, each already rounded to float32 as libtorch
   * rounds a double scalar operand of a float32 tensor.
   *
   * @param decay {@code 1 − η·λ}, or exactly 1 where the parameter does not decay
   * @param decays whether to multiply the weight by {@code decay}
   * @param beta1 {@code β₁}
   * @param oneMinusBeta1 {@code 1 − β₁}
   * @param beta2 {@code β₂}
   * @param oneMinusBeta2 {@code 1 − β₂}
   * @param correction2 {@code 1 − β₂ᵏ}
   * @param epsilon {@code ε}
   * @param stepScale {@code η / (1 − β₁ᵏ)}
   */
  record Scalars(
      float decay,
      boolean decays,
      float beta1,
      float oneMinusBeta1,
      float beta2,
      float oneMinusBeta2,
      float correction2,
      float epsilon,
      float stepScale) {}

  /** Returns whether the fused update is exact and safe for these arrays (see class comment). */
  boolean accepts(NDArray weight, NDArray gradient, NDArray first, NDArray second) {
    for (NDArray a : new NDArray[] {weight, gradient, first, second}) {
      if (!(a instanceof PtNDArray)
          || a.getDataType() != DataType.FLOAT32
          || a.getShape().dimension() == 0
          || !Device.cpu().equals(a.getDevice())) {
        return false;
      }
    }
    return aliases.computeIfAbsent(weight, FusedAdamUpdate::bufferAliasesStorage);
  }

  /**
   * Writes a probe value through the weight's direct buffer and reads it back through libtorch: a
   * buffer onto a contiguous copy would leave the tensor unchanged. Restores the value.
   */
  private static boolean bufferAliasesStorage(NDArray weight) {
    long size = weight.getShape().size();
    if (size == 0) {
      return true;
    }
    ByteBuffer buffer = JniUtils.getByteBuffer((PtNDArray) weight, true);
    if (!buffer.isDirect() || buffer.capacity() != size * Float.BYTES) {
      return false;
    }
    float original = buffer.getFloat(0);
    float probe = original == 1f ? 2f : 1f;
    buffer.putFloat(0, probe);
    boolean aliased = weight.getFloat(new long[weight.getShape().dimension()]) == probe;
    buffer.putFloat(0, original);
    return aliased;
  }

  /**
   * Applies one AdamW update in place: the weight and both moments are overwritten, the gradient is
   * read only. The caller has checked {@link #accepts}.
   */
  void apply(NDArray weight, NDArray gradient, NDArray first, NDArray second, Scalars s) {
    FloatBuffer wb = floats(weight);
    FloatBuffer gb = floats(gradient);
    FloatBuffer mb = floats(first);
    FloatBuffer vb = floats(second);
    int n = wb.capacity();
    for (int offset = 0; offset < n; offset += CHUNK) {
      int len = Math.min(CHUNK, n - offset);
      wb.get(offset, w, 0, len);
      gb.get(offset, g, 0, len);
      mb.get(offset, m, 0, len);
      vb.get(offset, v, 0, len);
      chunk(len, s);
      wb.put(offset, w, 0, len);
      mb.put(offset, m, 0, len);
      vb.put(offset, v, 0, len);
    }
  }

  private void chunk(int len, Scalars s) {
    float decay = s.decay();
    boolean decays = s.decays();
    float beta1 = s.beta1();
    float oneMinusBeta1 = s.oneMinusBeta1();
    float beta2 = s.beta2();
    float oneMinusBeta2 = s.oneMinusBeta2();
    float correction2 = s.correction2();
    float epsilon = s.epsilon();
    float stepScale = s.stepScale();
    for (int i = 0; i < len; i++) {
      // The reference's operations in its order; each float operation rounds once.
      float gi = g[i];
      float wi = decays ? w[i] * decay : w[i];
      float mi = m[i] * beta1 + gi * oneMinusBeta1;
      float vi = v[i] * beta2 + (gi * gi) * oneMinusBeta2;
      float denominator = (float) Math.sqrt(vi / correction2) + epsilon;
      w[i] = wi - (mi * stepScale) / denominator;
      m[i] = mi;
      v[i] = vi;
    }
  }

  private static FloatBuffer floats(NDArray a) {
    return JniUtils.getByteBuffer((PtNDArray) a, true).asFloatBuffer();
  }
}
