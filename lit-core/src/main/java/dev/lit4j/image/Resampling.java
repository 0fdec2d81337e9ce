package dev.lit4j.image;

/**
 * Resampling of float image planes, pure Java and deterministic (no Java2D rendering hints, whose
 * results differ between pipelines).
 *
 * <p>Downscaling first halves each axis by 2×2 box averaging while the image is at least twice the
 * target along that axis (an area average, so fine detail is averaged away instead of aliased),
 * then resamples bilinearly to the exact size with half-pixel centres ({@code align_corners =
 * false}, as PIL, torchvision and {@code tf.image.resize}). Upscaling is bilinear only. An odd row
 * or column left over by a halving step is dropped, shifting the image by at most half a source
 * pixel.
 */
final class Resampling {
  private Resampling() {}

  /** A single-channel float image, row-major. */
  record Plane(int width, int height, float[] values) {}

  static Plane resize(Plane src, int targetWidth, int targetHeight) {
    Plane p = src;
    while (p.width() >= 2 * targetWidth || p.height() >= 2 * targetHeight) {
      p = halve(p, p.width() >= 2 * targetWidth, p.height() >= 2 * targetHeight);
    }
    if (p.width() == targetWidth && p.height() == targetHeight) {
      return p;
    }
    return bilinear(p, targetWidth, targetHeight);
  }

  static Plane halve(Plane src, boolean halveX, boolean halveY) {
    int fx = halveX ? 2 : 1;
    int fy = halveY ? 2 : 1;
    int w = src.width() / fx;
    int h = src.height() / fy;
    float[] in = src.values();
    float[] out = new float[w * h];
    float inv = 1f / (fx * fy);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float sum = 0;
        for (int dy = 0; dy < fy; dy++) {
          int row = (y * fy + dy) * src.width();
          for (int dx = 0; dx < fx; dx++) {
            sum += in[row + x * fx + dx];
          }
        }
        out[y * w + x] = sum * inv;
      }
    }
    return new Plane(w, h, out);
  }

  static Plane bilinear(Plane src, int targetWidth, int targetHeight) {
    int sw = src.width();
    int sh = src.height();
    float[] in = src.values();
    int[] x0 = new int[targetWidth];
    int[] x1 = new int[targetWidth];
    float[] wx = new float[targetWidth];
    axis(sw, targetWidth, x0, x1, wx);
    int[] y0 = new int[targetHeight];
    int[] y1 = new int[targetHeight];
    float[] wy = new float[targetHeight];
    axis(sh, targetHeight, y0, y1, wy);
    float[] out = new float[targetWidth * targetHeight];
    for (int y = 0; y < targetHeight; y++) {
      int r0 = y0[y] * sw;
      int r1 = y1[y] * sw;
      float b = wy[y];
      for (int x = 0; x < targetWidth; x++) {
        float a = wx[x];
        float top = in[r0 + x0[x]] * (1 - a) + in[r0 + x1[x]] * a;
        float bottom = in[r1 + x0[x]] * (1 - a) + in[r1 + x1[x]] * a;
        out[y * targetWidth + x] = top * (1 - b) + bottom * b;
      }
    }
    return new Plane(targetWidth, targetHeight, out);
  }

  /** Source indices and weights for half-pixel-centred sampling, clamped at the borders. */
  private static void axis(int srcSize, int dstSize, int[] i0, int[] i1, float[] w) {
    double scale = (double) srcSize / dstSize;
    for (int i = 0; i < dstSize; i++) {
      double s = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), srcSize - 1);
      int lo = (int) Math.floor(s);
      i0[i] = lo;
      i1[i] = Math.min(lo + 1, srcSize - 1);
      w[i] = (float) (s - lo);
    }
  }

  static Plane crop(Plane src, int left, int top, int width, int height) {
    float[] out = new float[width * height];
    for (int y = 0; y < height; y++) {
      System.arraycopy(src.values(), (top + y) * src.width() + left, out, y * width, width);
    }
    return new Plane(width, height, out);
  }
}
