package dev.lit4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The eight EXIF orientation transforms on every kind of raster ImageIO readers produce: the
 * interleaved and packed-int layouts take the direct array copy, the 1-bit palette and the float
 * raster the general data-element copy.
 */
class ExifOrientationTest {

  // Larger than the 64-pixel tiles of OrientedRasterCopy and not a multiple of them, so full and
  // partial tiles are both exercised; odd, so a 1-bit row ends mid-byte.
  private static final int W = 151;
  private static final int H = 71;

  /** The image types the PNG, JPEG, GIF, BMP and WebP readers return, plus premultiplied alpha. */
  private static final int[] TYPES = {
    BufferedImage.TYPE_3BYTE_BGR,
    BufferedImage.TYPE_4BYTE_ABGR,
    BufferedImage.TYPE_INT_RGB,
    BufferedImage.TYPE_INT_ARGB,
    BufferedImage.TYPE_INT_ARGB_PRE,
    BufferedImage.TYPE_BYTE_GRAY,
    BufferedImage.TYPE_USHORT_GRAY,
    BufferedImage.TYPE_BYTE_INDEXED,
    BufferedImage.TYPE_BYTE_BINARY, // 1 bit per pixel, eight pixels to a byte
  };

  @Test
  void applyTo_eachOrientationAndImageType_movesEveryPixelAsTheSpecSays() {
    for (int type : TYPES) {
      BufferedImage source = randomImage(new BufferedImage(W, H, type), type);
      // A sub-image shares its parent's buffer at an offset: its raster is translated.
      BufferedImage inner =
          randomImage(new BufferedImage(W + 5, H + 4, type), -type).getSubimage(3, 2, W, H);
      for (ExifOrientation o : ExifOrientation.values()) {
        assertMovesPixelsPerSpec(o, source, "type " + type);
        assertMovesPixelsPerSpec(o, inner, "sub-image of type " + type);
      }
    }
  }

  @Test
  void applyTo_floatRaster_movesEveryPixelAsTheSpecSays() {
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_FLOAT);
    BufferedImage source =
        new BufferedImage(cm, cm.createCompatibleWritableRaster(W, H), false, null);
    Random random = new Random(7);
    WritableRaster raster = source.getRaster();
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        for (int b = 0; b < 3; b++) {
          raster.setSample(x, y, b, random.nextFloat());
        }
      }
    }

    for (ExifOrientation o : ExifOrientation.values()) {
      assertMovesPixelsPerSpec(o, source, "float raster");
    }
  }

  @Test
  void applyTo_normal_returnsTheSameImage() {
    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);

    assertSame(image, ExifOrientation.NORMAL.applyTo(image));
  }

  @Test
  void applyTo_leavesTheSourceUnchanged() {
    BufferedImage source = randomImage(new BufferedImage(W, H, BufferedImage.TYPE_INT_ARGB), 1);
    int[] before = source.getRGB(0, 0, W, H, null, 0, W);

    for (ExifOrientation o : ExifOrientation.values()) {
      o.applyTo(source);
    }

    assertArrayEquals(before, source.getRGB(0, 0, W, H, null, 0, W));
  }

  @Test
  void applyTo_rotationsAndMirrorsCompose() {
    BufferedImage source = randomImage(new BufferedImage(W, H, BufferedImage.TYPE_3BYTE_BGR), 2);
    int[] original = source.getRGB(0, 0, W, H, null, 0, W);

    BufferedImage cwThenCcw =
        ExifOrientation.ROTATE_270_CW.applyTo(ExifOrientation.ROTATE_90_CW.applyTo(source));
    BufferedImage twoHalfTurns =
        ExifOrientation.ROTATE_180.applyTo(ExifOrientation.ROTATE_180.applyTo(source));
    BufferedImage mirrors =
        ExifOrientation.MIRROR_VERTICAL.applyTo(ExifOrientation.MIRROR_HORIZONTAL.applyTo(source));
    BufferedImage rotate180 = ExifOrientation.ROTATE_180.applyTo(source);
    // Transpose is mirror left-right followed by rotation 270° clockwise.
    BufferedImage transpose = ExifOrientation.TRANSPOSE.applyTo(source);
    BufferedImage composed =
        ExifOrientation.ROTATE_270_CW.applyTo(ExifOrientation.MIRROR_HORIZONTAL.applyTo(source));

    assertArrayEquals(original, cwThenCcw.getRGB(0, 0, W, H, null, 0, W));
    assertArrayEquals(original, twoHalfTurns.getRGB(0, 0, W, H, null, 0, W));
    assertArrayEquals(
        rotate180.getRGB(0, 0, W, H, null, 0, W), mirrors.getRGB(0, 0, W, H, null, 0, W));
    assertArrayEquals(
        transpose.getRGB(0, 0, H, W, null, 0, H), composed.getRGB(0, 0, H, W, null, 0, H));
  }

  @Test
  void fromTag_mapsOneToEightAndEverythingElseToNormal() {
    for (ExifOrientation o : ExifOrientation.values()) {
      assertEquals(o, ExifOrientation.fromTag(o.tag()));
    }
    for (long value : new long[] {0, 9, -1, 0xFFFF, (1L << 32) + 6}) {
      assertEquals(ExifOrientation.NORMAL, ExifOrientation.fromTag(value), "value " + value);
    }
  }

  /**
   * Checks {@code o.applyTo(source)} against the EXIF definition of where stored pixel (x, y) is
   * displayed ("the 0th row is the visual ..., the 0th column is the visual ..."), sample by
   * sample, and that the result keeps the source's colour model and type.
   */
  private static void assertMovesPixelsPerSpec(
      ExifOrientation o, BufferedImage source, String what) {
    BufferedImage result = o.applyTo(source);
    String label = what + ", " + o;
    boolean swapped = o.tag() >= 5;
    assertEquals(swapped ? H : W, result.getWidth(), label);
    assertEquals(swapped ? W : H, result.getHeight(), label);
    assertEquals(source.getType(), result.getType(), label);
    assertSame(source.getColorModel(), result.getColorModel(), label);
    if (o != ExifOrientation.NORMAL) {
      assertNotSame(source.getRaster().getDataBuffer(), result.getRaster().getDataBuffer(), label);
    }
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int[] uv = displayed(o.tag(), x, y);
        assertArrayEquals(
            source.getRaster().getPixel(x, y, (double[]) null),
            result.getRaster().getPixel(uv[0], uv[1], (double[]) null),
            0.0,
            label + ": stored (" + x + ", " + y + ")");
      }
    }
  }

  /** Where stored pixel (x, y) of a W × H image is displayed under tag value {@code k}. */
  private static int[] displayed(int k, int x, int y) {
    return switch (k) {
      case 1 -> new int[] {x, y}; // row 0 top, column 0 left
      case 2 -> new int[] {W - 1 - x, y}; // row 0 top, column 0 right
      case 3 -> new int[] {W - 1 - x, H - 1 - y}; // row 0 bottom, column 0 right
      case 4 -> new int[] {x, H - 1 - y}; // row 0 bottom, column 0 left
      case 5 -> new int[] {y, x}; // row 0 left, column 0 top
      case 6 -> new int[] {H - 1 - y, x}; // row 0 right, column 0 top
      case 7 -> new int[] {H - 1 - y, W - 1 - x}; // row 0 right, column 0 bottom
      case 8 -> new int[] {y, W - 1 - x}; // row 0 left, column 0 bottom
      default -> throw new IllegalArgumentException("orientation " + k);
    };
  }

  /** Fills every sample of {@code image} with seeded random values within its sample size. */
  private static BufferedImage randomImage(BufferedImage image, long seed) {
    Random random = new Random(seed);
    WritableRaster raster = image.getRaster();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        for (int b = 0; b < raster.getNumBands(); b++) {
          int bits = raster.getSampleModel().getSampleSize(b);
          raster.setSample(x, y, b, random.nextInt(1 << Math.min(bits, 30)));
        }
      }
    }
    return image;
  }
}
