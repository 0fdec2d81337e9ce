package dev.lit4j.math.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code S = X · Yᵀ} with a register-blocked micro-kernel written with the JDK Vector API ({@code
 * jdk.incubator.vector}, incubating in JDK 17).
 *
 * <p>The layout follows Goto and van de Geijn, "Anatomy of high-performance matrix multiplication"
 * (ACM TOMS 34(3), 2008): X is packed into panels of {@value #MR} rows and Y into panels of {@code
 * NR = 2 · lanes} rows, each stored depth-major so that the micro-kernel reads both with unit
 * stride. The micro-kernel keeps an {@code MR × NR} tile of S in {@code 2·MR} vector registers and,
 * for every depth step, loads two vectors of the Y panel and broadcasts {@value #MR} values of the
 * X panel: {@code 2·MR} fused multiply-adds per {@code 2 + MR} loads, where the auto-vectorised
 * {@link Gemm} loads and stores S every few multiply-adds. Depth is cut into blocks of {@value #KC}
 * so that a Y micro-panel ({@code KC · NR} floats, 32 KiB with 512-bit vectors) stays in L1 while
 * the kernel walks down a block of {@value #MC} rows of X (L2); columns are cut into blocks of
 * {@value #NC} so the Y block stays in L3.
 *
 * <p>Accuracy: each element is a float32 sum over the depth with fused multiply-adds, in depth
 * order; the error bound is that of any float32 dot product ({@code d · 2⁻²⁴ · Σₚ |xₚ yₚ|}).
 *
 * <p>Loaded only through {@link SimilarityKernels} when the module is in the boot layer; referring
 * to this class on a JVM without {@code --add-modules jdk.incubator.vector} fails with {@link
 * NoClassDefFoundError}.
 */
final class VectorSimilarityKernel implements SimilarityKernel {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  private static final int MR = 8;
  private static final int NR = 2 * LANES;
  private static final int KC = 256;
  private static final int MC = 128;
  private static final int NC = 4096;

  @Override
  public void multiplyTransposed(float[] x, float[] y, int m, int n, int d, float[] out) {
    if (m == 0 || n == 0) {
      return;
    }
    if (d == 0) {
      java.util.Arrays.fill(out, 0, m * n, 0f);
      return;
    }
    float[] packedX = pack(x, m, d, MR);
    float[] packedY = pack(y, n, d, NR);
    Parallel.forEachBlock(
        m, MC, 2L * n * d, (from, to) -> rowBlock(packedX, packedY, from, to, n, d, out));
  }

  /**
   * Packs {@code rows} rows of length {@code d} into panels of {@code width} rows, each panel
   * depth-major ({@code panel · d · width + p · width + r}) and zero-padded to a full panel.
   */
  private static float[] pack(float[] src, int rows, int d, int width) {
    int panels = (rows + width - 1) / width;
    float[] packed = new float[Math.multiplyExact(Math.multiplyExact(panels, width), d)];
    Parallel.forEachBlock(
        panels,
        1,
        (long) width * d,
        (from, to) -> {
          for (int panel = from; panel < to; panel++) {
            int base = panel * d * width;
            int r1 = Math.min(width, rows - panel * width);
            for (int r = 0; r < r1; r++) {
              int srcRow = (panel * width + r) * d;
              for (int p = 0; p < d; p++) {
                packed[base + p * width + r] = src[srcRow + p];
              }
            }
          }
        });
    return packed;
  }

  private static void rowBlock(
      float[] packedX, float[] packedY, int from, int to, int n, int d, float[] out) {
    // Parallel blocks start at multiples of MC, itself a multiple of MR, so every X panel lies
    // within one block.
    float[] edge = new float[MR * NR];
    for (int jc = 0; jc < n; jc += NC) {
      int jcEnd = Math.min(n, jc + NC);
      for (int pc = 0; pc < d; pc += KC) {
        int kc = Math.min(KC, d - pc);
        boolean accumulate = pc > 0;
        for (int j0 = jc; j0 < jcEnd; j0 += NR) {
          int yOffset = j0 * d + pc * NR;
          int cols = Math.min(NR, n - j0);
          for (int i0 = from; i0 < to; i0 += MR) {
            int xOffset = i0 * d + pc * MR;
            int rows = Math.min(MR, to - i0);
            if (rows == MR && cols == NR) {
              tile(packedX, xOffset, packedY, yOffset, kc, out, i0 * n + j0, n, accumulate);
            } else {
              tile(packedX, xOffset, packedY, yOffset, kc, edge, 0, NR, false);
              for (int r = 0; r < rows; r++) {
                int o = (i0 + r) * n + j0;
                for (int c = 0; c < cols; c++) {
                  out[o + c] = accumulate ? out[o + c] + edge[r * NR + c] : edge[r * NR + c];
                }
              }
            }
          }
        }
      }
    }
  }

  // The MR × NR tile as 2·MR named locals, which C2 keeps in vector registers (16 of AVX-512's
  // 32). Everything that touches them stays in this method: handing a vector to a helper that C2
  // does not inline boxes it on the heap, which made an earlier version four times slower.
  private static void tile(
      float[] a,
      int aOff,
      float[] b,
      int bOff,
      int kc,
      float[] c,
      int cOff,
      int ldc,
      boolean accumulate) {
    FloatVector c00 = FloatVector.zero(SPECIES);
    FloatVector c01 = FloatVector.zero(SPECIES);
    FloatVector c10 = FloatVector.zero(SPECIES);
    FloatVector c11 = FloatVector.zero(SPECIES);
    FloatVector c20 = FloatVector.zero(SPECIES);
    FloatVector c21 = FloatVector.zero(SPECIES);
    FloatVector c30 = FloatVector.zero(SPECIES);
    FloatVector c31 = FloatVector.zero(SPECIES);
    FloatVector c40 = FloatVector.zero(SPECIES);
    FloatVector c41 = FloatVector.zero(SPECIES);
    FloatVector c50 = FloatVector.zero(SPECIES);
    FloatVector c51 = FloatVector.zero(SPECIES);
    FloatVector c60 = FloatVector.zero(SPECIES);
    FloatVector c61 = FloatVector.zero(SPECIES);
    FloatVector c70 = FloatVector.zero(SPECIES);
    FloatVector c71 = FloatVector.zero(SPECIES);
    // Indices written as base + p · stride (not running sums) so that C2's range-check elimination
    // recognises them and hoists the array bounds checks out of the loop.
    for (int p = 0; p < kc; p++) {
      int ap = aOff + p * MR;
      int bp = bOff + p * NR;
      FloatVector b0 = FloatVector.fromArray(SPECIES, b, bp);
      FloatVector b1 = FloatVector.fromArray(SPECIES, b, bp + LANES);
      FloatVector v = FloatVector.broadcast(SPECIES, a[ap]);
      c00 = v.fma(b0, c00);
      c01 = v.fma(b1, c01);
      v = FloatVector.broadcast(SPECIES, a[ap + 1]);
      c10 = v.fma(b0, c10);
      c11 = v.fma(b1, c11);
      v = FloatVector.broadcast(SPECIES, a[ap + 2]);
      c20 = v.fma(b0, c20);
      c21 = v.fma(b1, c21);
      v = FloatVector.broadcast(SPECIES, a[ap + 3]);
      c30 = v.fma(b0, c30);
      c31 = v.fma(b1, c31);
      v = FloatVector.broadcast(SPECIES, a[ap + 4]);
      c40 = v.fma(b0, c40);
      c41 = v.fma(b1, c41);
      v = FloatVector.broadcast(SPECIES, a[ap + 5]);
      c50 = v.fma(b0, c50);
      c51 = v.fma(b1, c51);
      v = FloatVector.broadcast(SPECIES, a[ap + 6]);
      c60 = v.fma(b0, c60);
      c61 = v.fma(b1, c61);
      v = FloatVector.broadcast(SPECIES, a[ap + 7]);
      c70 = v.fma(b0, c70);
      c71 = v.fma(b1, c71);
    }
    if (accumulate) {
      c00 = c00.add(FloatVector.fromArray(SPECIES, c, cOff));
      c01 = c01.add(FloatVector.fromArray(SPECIES, c, cOff + LANES));
      c10 = c10.add(FloatVector.fromArray(SPECIES, c, cOff + ldc));
      c11 = c11.add(FloatVector.fromArray(SPECIES, c, cOff + ldc + LANES));
      c20 = c20.add(FloatVector.fromArray(SPECIES, c, cOff + 2 * ldc));
      c21 = c21.add(FloatVector.fromArray(SPECIES, c, cOff + 2 * ldc + LANES));
      c30 = c30.add(FloatVector.fromArray(SPECIES, c, cOff + 3 * ldc));
      c31 = c31.add(FloatVector.fromArray(SPECIES, c, cOff + 3 * ldc + LANES));
      c40 = c40.add(FloatVector.fromArray(SPECIES, c, cOff + 4 * ldc));
      c41 = c41.add(FloatVector.fromArray(SPECIES, c, cOff + 4 * ldc + LANES));
      c50 = c50.add(FloatVector.fromArray(SPECIES, c, cOff + 5 * ldc));
      c51 = c51.add(FloatVector.fromArray(SPECIES, c, cOff + 5 * ldc + LANES));
      c60 = c60.add(FloatVector.fromArray(SPECIES, c, cOff + 6 * ldc));
      c61 = c61.add(FloatVector.fromArray(SPECIES, c, cOff + 6 * ldc + LANES));
      c70 = c70.add(FloatVector.fromArray(SPECIES, c, cOff + 7 * ldc));
      c71 = c71.add(FloatVector.fromArray(SPECIES, c, cOff + 7 * ldc + LANES));
    }
    c00.intoArray(c, cOff);
    c01.intoArray(c, cOff + LANES);
    c10.intoArray(c, cOff + ldc);
    c11.intoArray(c, cOff + ldc + LANES);
    c20.intoArray(c, cOff + 2 * ldc);
    c21.intoArray(c, cOff + 2 * ldc + LANES);
    c30.intoArray(c, cOff + 3 * ldc);
    c31.intoArray(c, cOff + 3 * ldc + LANES);
    c40.intoArray(c, cOff + 4 * ldc);
    c41.intoArray(c, cOff + 4 * ldc + LANES);
    c50.intoArray(c, cOff + 5 * ldc);
    c51.intoArray(c, cOff + 5 * ldc + LANES);
    c60.intoArray(c, cOff + 6 * ldc);
    c61.intoArray(c, cOff + 6 * ldc + LANES);
    c70.intoArray(c, cOff + 7 * ldc);
    c71.intoArray(c, cOff + 7 * ldc + LANES);
  }
}
