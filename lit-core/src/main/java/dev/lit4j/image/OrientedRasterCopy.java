package dev.lit4j.image;

import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DataBufferShort;
import java.awt.image.DataBufferUShort;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.lang.reflect.Array;
import java.util.Arrays;

/**
 * Copies a raster into another with rows and columns swapped and/or reversed: the pixel moving
 * behind {@link ExifOrientation}. Result pixel (u, v) is source pixel (x, y) where {@code (x, y) =
 * transposes ? (v, u) : (u, v)}, then {@code x -> width - 1 - x} if {@code flipsX} and {@code y ->
 * height - 1 - y} if {@code flipsY}.
 *
 * <p>Whole pixels are copied as stored (data elements), so any sample layout survives. Rasters
 * whose pixels are runs of elements in one array (every interleaved and packed-int layout ImageIO's
 * readers return for PNG, JPEG, GIF, BMP and WebP, bit-packed palettes aside) are copied straight
 * between the arrays; anything else goes through {@link Raster#getDataElements}. Both work in
 * 64-pixel square tiles, so a 90° turn reads each source cache line once rather than once per
 * pixel.
 *
 * <p>Why not TwelveMonkeys' {@code ImageUtil.createRotated}/{@code createFlipped} (on the class
 * path through the JPEG and WebP readers): they redraw through {@code Graphics2D}, which changes
 * the pixels. Checked with common-image 3.14.0 on 2026-11-29: a 16-bit grey image came back as
 * 8-bit ARGB with the sample 1000 turned into 3, so the tower would see other pixels depending on
 * the photo's EXIF tag. This class moves the stored data elements unchanged.
 */
final class OrientedRasterCopy {

  private static final int TILE = 64;

  private OrientedRasterCopy() {}

  static void copy(
      Raster source, WritableRaster target, boolean transposes, boolean flipsX, boolean flipsY) {
    Layout from = Layout.of(source);
    Layout to = Layout.of(target);
    if (from != null && to != null && from.sameGeometry(to)) {
      copyArrays(source, from, target, to, transposes, flipsX, flipsY);
    } else {
      copyDataElements(source, target, transposes, flipsX, flipsY);
    }
  }

  private static void copyArrays(
      Raster source,
      Layout from,
      WritableRaster target,
      Layout to,
      boolean transposes,
      boolean flipsX,
      boolean flipsY) {
    int width = source.getWidth();
    int height = source.getHeight();
    int stride = from.pixelStride;
    // How far the source index moves when u grows by one.
    int step = transposes ? (flipsY ? -from.scanline : from.scanline) : (flipsX ? -stride : stride);
    for (int v0 = 0; v0 < target.getHeight(); v0 += TILE) {
      int v1 = Math.min(v0 + TILE, target.getHeight());
      for (int u0 = 0; u0 < target.getWidth(); u0 += TILE) {
        int run = Math.min(TILE, target.getWidth() - u0);
        for (int v = v0; v < v1; v++) {
          int x = transposes ? v : u0;
          int y = transposes ? u0 : v;
          x = flipsX ? width - 1 - x : x;
          y = flipsY ? height - 1 - y : y;
          copyRun(
              from.data,
              from.offset + y * from.scanline + x * stride,
              step,
              to.data,
              to.offset + v * to.scanline + u0 * stride,
              stride,
              from.span,
              run);
        }
      }
    }
  }

  /**
   * Copies {@code pixels} pixels of {@code span} elements, stepping the source by {@code step}.
   * Span 1 (grey, palette, packed int) has its own loop: the inner loop over an unknown span halves
   * the speed there (measured: 58 ms against 31 ms to mirror a 4000 × 3000 packed-int image).
   */
  private static void copyRun(
      Object from, int s, int step, Object to, int t, int stride, int span, int pixels) {
    if (from instanceof byte[] a) {
      byte[] b = (byte[]) to;
      if (span == 1) {
        for (int k = 0; k < pixels; k++, s += step, t += stride) {
          b[t] = a[s];
        }
      } else {
        for (int k = 0; k < pixels; k++, s += step, t += stride) {
          for (int e = 0; e < span; e++) {
            b[t + e] = a[s + e];
          }
        }
      }
    } else if (from instanceof short[] a) {
      short[] b = (short[]) to;
      if (span == 1) {
        for (int k = 0; k < pixels; k++, s += step, t += stride) {
          b[t] = a[s];
        }
      } else {
        for (int k = 0; k < pixels; k++, s += step, t += stride) {
          for (int e = 0; e < span; e++) {
            b[t + e] = a[s + e];
          }
        }
      }
    } else {
      int[] a = (int[]) from;
      int[] b = (int[]) to;
      if (span == 1) {
        for (int k = 0; k < pixels; k++, s += step, t += stride) {
          b[t] = a[s];
        }
      } else {
        for (int k = 0; k < pixels; k++, s += step, t += stride) {
          for (int e = 0; e < span; e++) {
            b[t + e] = a[s + e];
          }
        }
      }
    }
  }

  private static void copyDataElements(
      Raster source, WritableRaster target, boolean transposes, boolean flipsX, boolean flipsY) {
    int width = source.getWidth();
    int height = source.getHeight();
    int elements = source.getNumDataElements();
    int[] index = new int[TILE * TILE];
    Object in = null;
    Object out = null;
    for (int v0 = 0; v0 < target.getHeight(); v0 += TILE) {
      for (int u0 = 0; u0 < target.getWidth(); u0 += TILE) {
        int tileWidth = Math.min(TILE, target.getWidth() - u0);
        int tileHeight = Math.min(TILE, target.getHeight() - v0);
        int sourceWidth = transposes ? tileHeight : tileWidth;
        int sourceHeight = transposes ? tileWidth : tileHeight;
        int sourceX = transposes ? v0 : u0;
        int sourceY = transposes ? u0 : v0;
        sourceX = flipsX ? width - sourceX - sourceWidth : sourceX;
        sourceY = flipsY ? height - sourceY - sourceHeight : sourceY;
        for (int j = 0; j < tileHeight; j++) {
          for (int i = 0; i < tileWidth; i++) {
            int x = transposes ? v0 + j : u0 + i;
            int y = transposes ? u0 + i : v0 + j;
            x = flipsX ? width - 1 - x : x;
            y = flipsY ? height - 1 - y : y;
            index[j * tileWidth + i] = (y - sourceY) * sourceWidth + (x - sourceX);
          }
        }
        // The first tile is the largest, so its arrays fit every later one.
        in = source.getDataElements(sourceX, sourceY, sourceWidth, sourceHeight, in);
        if (out == null) {
          out = Array.newInstance(in.getClass().getComponentType(), Array.getLength(in));
        }
        for (int k = 0; k < tileWidth * tileHeight; k++) {
          System.arraycopy(in, index[k] * elements, out, k * elements, elements);
        }
        target.setDataElements(u0, v0, tileWidth, tileHeight, out);
      }
    }
  }

  /**
   * Where a raster's pixels live when each is a run of {@code span} consecutive elements of one
   * array, {@code pixelStride} apart within a row and {@code scanline} apart between rows; {@code
   * bands} fixes which element is which band, so two layouts with equal geometry hold the same
   * pixel in the same run.
   */
  private record Layout(
      Object data, int offset, int scanline, int pixelStride, int span, int[] bands) {

    /** The layout of {@code raster}, or null if its pixels are not element runs in one array. */
    static Layout of(Raster raster) {
      DataBuffer buffer = raster.getDataBuffer();
      Object data = singleBank(buffer);
      if (data == null) {
        return null;
      }
      SampleModel model = raster.getSampleModel();
      int dx = -raster.getSampleModelTranslateX();
      int dy = -raster.getSampleModelTranslateY();
      if (model instanceof SinglePixelPackedSampleModel packed) {
        int scanline = packed.getScanlineStride();
        int[] bands = concat(packed.getBitMasks(), packed.getBitOffsets());
        return new Layout(data, buffer.getOffset() + dy * scanline + dx, scanline, 1, 1, bands);
      }
      if (model instanceof ComponentSampleModel component) {
        for (int bank : component.getBankIndices()) {
          if (bank != 0) {
            return null;
          }
        }
        int[] offsets = component.getBandOffsets();
        int min = Arrays.stream(offsets).min().orElseThrow();
        int max = Arrays.stream(offsets).max().orElseThrow();
        int stride = component.getPixelStride();
        if (stride < 1 || max - min >= stride) {
          return null;
        }
        int scanline = component.getScanlineStride();
        int[] bands = Arrays.stream(offsets).map(o -> o - min).toArray();
        int offset = buffer.getOffset() + min + dy * scanline + dx * stride;
        return new Layout(data, offset, scanline, stride, max - min + 1, bands);
      }
      return null;
    }

    boolean sameGeometry(Layout other) {
      return data.getClass() == other.data.getClass()
          && pixelStride == other.pixelStride
          && span == other.span
          && Arrays.equals(bands, other.bands);
    }

    // getData() makes Java2D stop caching the image in video memory; harmless for the freshly
    // decoded images this copies.
    private static Object singleBank(DataBuffer buffer) {
      if (buffer.getNumBanks() != 1) {
        return null;
      }
      if (buffer instanceof DataBufferByte b) {
        return b.getData();
      }
      if (buffer instanceof DataBufferUShort s) {
        return s.getData();
      }
      if (buffer instanceof DataBufferShort s) {
        return s.getData();
      }
      if (buffer instanceof DataBufferInt i) {
        return i.getData();
      }
      return null;
    }

    private static int[] concat(int[] a, int[] b) {
      int[] out = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, out, a.length, b.length);
      return out;
    }
  }
}
