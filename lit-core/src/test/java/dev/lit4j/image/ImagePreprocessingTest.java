package dev.lit4j.image;

import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static dev.lit4j.testing.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImagePreprocessingTest {

  /** Float32 arithmetic on values ≤ 255 scaled to [0, 1]: a few ulps of 1. */
  private static final double FLOAT32_ATOL = 1e-6;

  /** One 8-bit quantisation step in [0, 1], for colour conversions that round once. */
  private static final double ONE_LEVEL = 1.0 / 255 + 1e-6;

  private static BufferedImage filled(int w, int h, int type, Color c) {
    BufferedImage img = new BufferedImage(w, h, type);
    Graphics2D g = img.createGraphics();
    g.setColor(c);
    g.fillRect(0, 0, w, h);
    g.dispose();
    return img;
  }

  private static void assertPixel(ImageTensor t, int y, int x, double r, double g, double b) {
    assertClose(r, t.get(0, y, x), 0, ONE_LEVEL, "red at (" + y + ", " + x + ")");
    assertClose(g, t.get(1, y, x), 0, ONE_LEVEL, "green at (" + y + ", " + x + ")");
    assertClose(b, t.get(2, y, x), 0, ONE_LEVEL, "blue at (" + y + ", " + x + ")");
  }

  @Test
  void apply_rgbAtInputSize_isExactlyValueOver255() {
    BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        img.setRGB(x, y, (x * 60) << 16 | (y * 80) << 8 | 7);
      }
    }
    ImageTensor t = ImagePreprocessing.squash(4).apply(img);
    assertEquals(3 * 16, t.size());
    assertEquals(TensorLayout.NCHW, t.layout());
    // At the input size nothing is resampled.
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        assertClose(x * 60 / 255.0, t.get(0, y, x), 0, FLOAT32_ATOL, "red");
        assertClose(y * 80 / 255.0, t.get(1, y, x), 0, FLOAT32_ATOL, "green");
        assertClose(7 / 255.0, t.get(2, y, x), 0, FLOAT32_ATOL, "blue");
      }
    }
  }

  @Test
  void apply_subimage_readsOnlyItsRegion() {
    BufferedImage img = filled(8, 8, BufferedImage.TYPE_INT_RGB, Color.BLACK);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(4, 4, 4, 4);
    g.dispose();
    ImageTensor t = ImagePreprocessing.squash(4).apply(img.getSubimage(4, 4, 4, 4));
    assertPixel(t, 0, 0, 1, 0, 0);
    assertPixel(t, 3, 3, 1, 0, 0);
  }

  @Test
  void apply_nonSquareImage_isSquashedToTheInputSize() {
    // 16 × 4, left half black, right half white: squashing keeps the halves side by side.
    BufferedImage img = filled(16, 4, BufferedImage.TYPE_INT_RGB, Color.BLACK);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(8, 0, 8, 4);
    g.dispose();
    ImageTensor t = ImagePreprocessing.squash(4).apply(img);
    for (int y = 0; y < 4; y++) {
      assertPixel(t, y, 0, 0, 0, 0);
      assertPixel(t, y, 3, 1, 1, 1);
    }
  }

  @Test
  void apply_argbImage_compositesAlphaOnWhite() {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    img.setRGB(0, 0, 0x00000000); // fully transparent black
    img.setRGB(1, 0, 0x80ff0000); // half-transparent red
    ImageTensor t = squashTo(2, 1, img);
    assertPixel(t, 0, 0, 1, 1, 1);
    double a = 0x80 / 255.0;
    assertPixel(t, 0, 1, 1, 1 - a, 1 - a);
  }

  @Test
  void apply_premultipliedAlpha_compositesOnWhite() {
    BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB_PRE);
    img.setRGB(0, 0, 0x800000ff); // half-transparent blue, stored premultiplied
    ImageTensor t = squashTo(1, 1, img);
    double a = 0x80 / 255.0;
    assertPixel(t, 0, 0, 1 - a, 1 - a, 1);
  }

  @Test
  void apply_greyImage_replicatesGreyLevelToRgb() {
    BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster r = img.getRaster();
    r.setSample(0, 0, 0, 0);
    r.setSample(1, 0, 0, 100);
    r.setSample(2, 0, 0, 255);
    ImageTensor t = squashTo(3, 1, img);
    for (int x = 0; x < 3; x++) {
      double g = r.getSample(x, 0, 0) / 255.0;
      assertPixel(t, 0, x, g, g, g);
    }
  }

  @Test
  void apply_sixteenBitGrey_usesHighByte() {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    img.getRaster().setSample(0, 0, 0, 0x6400);
    img.getRaster().setSample(1, 0, 0, 0xffff);
    ImageTensor t = squashTo(2, 1, img);
    assertPixel(t, 0, 0, 100 / 255.0, 100 / 255.0, 100 / 255.0);
    assertPixel(t, 0, 1, 1, 1, 1);
  }

  @Test
  void apply_sixteenBitRgbWithAlpha_convertsAndComposites() {
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            true,
            false,
            Transparency.TRANSLUCENT,
            DataBuffer.TYPE_USHORT);
    WritableRaster raster = cm.createCompatibleWritableRaster(2, 1);
    raster.setPixel(0, 0, new int[] {0xffff, 0x8000, 0, 0xffff}); // opaque orange
    raster.setPixel(1, 0, new int[] {0, 0, 0, 0}); // transparent
    BufferedImage img = new BufferedImage(cm, raster, false, null);
    ImageTensor t = squashTo(2, 1, img);
    assertPixel(t, 0, 0, 1, 0x80 / 255.0, 0);
    assertPixel(t, 0, 1, 1, 1, 1);
  }

  @Test
  void apply_paletteImage_looksUpColoursAndTransparentIndex() {
    byte[] r = {(byte) 255, 0, 0};
    byte[] g = {0, (byte) 128, 0};
    byte[] b = {0, 0, 0};
    IndexColorModel cm = new IndexColorModel(2, 3, r, g, b, 2); // index 2 is transparent
    BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, cm);
    WritableRaster raster = img.getRaster();
    raster.setSample(0, 0, 0, 0);
    raster.setSample(1, 0, 0, 1);
    raster.setSample(2, 0, 0, 2);
    ImageTensor t = squashTo(3, 1, img);
    assertPixel(t, 0, 0, 1, 0, 0);
    assertPixel(t, 0, 1, 0, 128 / 255.0, 0);
    assertPixel(t, 0, 2, 1, 1, 1);
  }

  @Test
  void apply_cmykImage_convertsThroughItsColourSpace() {
    ColorSpace cmyk = new NaiveCmyk();
    ComponentColorModel cm =
        new ComponentColorModel(cmyk, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
    WritableRaster raster = cm.createCompatibleWritableRaster(2, 1);
    raster.setPixel(0, 0, new int[] {0, 255, 255, 0}); // pure red
    raster.setPixel(1, 0, new int[] {0, 0, 0, 128}); // grey at K = 50 %
    BufferedImage img = new BufferedImage(cm, raster, false, null);
    ImageTensor t = squashTo(2, 1, img);
    assertPixel(t, 0, 0, 1, 0, 0);
    double grey = 1 - 128 / 255.0;
    assertPixel(t, 0, 1, grey, grey, grey);
  }

  /**
   * CMYK with the textbook conversion {@code rgb = (1 − c)(1 − k)}; enough to exercise the path.
   */
  private static final class NaiveCmyk extends ColorSpace {
    private static final long serialVersionUID = 1L;
    private final ColorSpace srgb = ColorSpace.getInstance(CS_sRGB);

    NaiveCmyk() {
      super(TYPE_CMYK, 4);
    }

    @Override
    public float[] toRGB(float[] v) {
      float k = 1 - v[3];
      return new float[] {(1 - v[0]) * k, (1 - v[1]) * k, (1 - v[2]) * k};
    }

    @Override
    public float[] fromRGB(float[] rgb) {
      float k = 1 - Math.max(rgb[0], Math.max(rgb[1], rgb[2]));
      float d = k < 1 ? 1 - k : 1;
      return new float[] {(1 - rgb[0] - k) / d, (1 - rgb[1] - k) / d, (1 - rgb[2] - k) / d, k};
    }

    @Override
    public float[] toCIEXYZ(float[] v) {
      return srgb.toCIEXYZ(toRGB(v));
    }

    @Override
    public float[] fromCIEXYZ(float[] xyz) {
      return fromRGB(srgb.fromCIEXYZ(xyz));
    }
  }

  /**
   * Preprocesses a {@code w × 1} test image at input size {@code w}: the row is repeated so the
   * image is square and nothing is resampled, so only colour conversion acts.
   */
  private static ImageTensor squashTo(int w, int h, BufferedImage img) {
    assertEquals(1, h);
    WritableRaster raster = img.getColorModel().createCompatibleWritableRaster(w, w);
    Object row = img.getRaster().getDataElements(0, 0, w, 1, null);
    for (int y = 0; y < w; y++) {
      raster.setDataElements(0, y, w, 1, row);
    }
    BufferedImage square =
        new BufferedImage(img.getColorModel(), raster, img.isAlphaPremultiplied(), null);
    return ImagePreprocessing.squash(w).apply(square);
  }

  @Test
  void apply_downscaleOfFineCheckerboard_averagesInsteadOfAliasing() {
    int n = 256;
    BufferedImage img = new BufferedImage(n, n, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        img.setRGB(x, y, ((x + y) & 1) == 0 ? 0xffffff : 0);
      }
    }
    ImageTensor t = ImagePreprocessing.squash(24).apply(img);
    float[] v = t.toArray();
    for (int i = 0; i < v.length; i++) {
      // Area averaging sees half white, half black everywhere; plain bilinear would sample 0 or 1.
      assertClose(0.5, v[i], 0, FLOAT32_ATOL, "value " + i);
    }
  }

  @Test
  void apply_centerCrop_matchesFloat64ReferenceOnHorizontalGradient() {
    // 256 × 128, value = column: resized to 146 × 73 (shorter side round(64 / 0.875) = 73), then
    // the
    // centred 64 × 64 crop starts at column 41. Bilinear resampling reproduces a linear ramp
    // exactly away from the borders, so each value is the source coordinate of its centre.
    BufferedImage img = new BufferedImage(256, 128, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 128; y++) {
      for (int x = 0; x < 256; x++) {
        img.setRGB(x, y, x << 16 | x << 8 | x);
      }
    }
    ImageTensor t = ImagePreprocessing.centerCrop(64, 0.875).apply(img);
    double[] expected = new double[64];
    float[] actual = new float[64];
    for (int x = 0; x < 64; x++) {
      expected[x] = ((41 + x + 0.5) * 256.0 / 146 - 0.5) / 255.0;
      actual[x] = t.get(1, 30, x);
    }
    assertAllClose(expected, toDoubles(actual), 1e-5, FLOAT32_ATOL);
  }

  private static double[] toDoubles(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  @Test
  void apply_upscale_matchesFloat64BilinearReference() {
    BufferedImage img = new BufferedImage(3, 3, BufferedImage.TYPE_INT_RGB);
    int[] levels = {0, 200, 40, 90, 255, 10, 130, 60, 220};
    for (int i = 0; i < 9; i++) {
      img.setRGB(i % 3, i / 3, levels[i] << 16);
    }
    ImageTensor t = ImagePreprocessing.squash(7).apply(img);
    for (int y = 0; y < 7; y++) {
      for (int x = 0; x < 7; x++) {
        double sy = Math.min(Math.max((y + 0.5) * 3 / 7 - 0.5, 0), 2);
        double sx = Math.min(Math.max((x + 0.5) * 3 / 7 - 0.5, 0), 2);
        int y0 = (int) sy;
        int x0 = (int) sx;
        int y1 = Math.min(y0 + 1, 2);
        int x1 = Math.min(x0 + 1, 2);
        double a = sx - x0;
        double b = sy - y0;
        double top = levels[y0 * 3 + x0] * (1 - a) + levels[y0 * 3 + x1] * a;
        double bottom = levels[y1 * 3 + x0] * (1 - a) + levels[y1 * 3 + x1] * a;
        double expected = (top * (1 - b) + bottom * b) / 255;
        assertClose(expected, t.get(0, y, x), 1e-5, FLOAT32_ATOL, "(" + y + ", " + x + ")");
      }
    }
  }

  @Test
  void apply_normalisationLayoutAndChannelOrder_followTheirDefinitions() {
    BufferedImage img = filled(2, 2, BufferedImage.TYPE_INT_RGB, new Color(10, 20, 30));
    ImagePreprocessing base =
        ImagePreprocessing.squash(2)
            .withNormalisation(ValueRange.BYTE, List.of(1.0, 2.0, 3.0), List.of(2.0, 4.0, 8.0));
    ImageTensor nchw = base.apply(img);
    assertClose((10 - 1) / 2.0, nchw.get(0, 0, 0), 0, FLOAT32_ATOL, "red");
    assertClose((20 - 2) / 4.0, nchw.get(1, 0, 0), 0, FLOAT32_ATOL, "green");
    assertClose((30 - 3) / 8.0, nchw.get(2, 0, 0), 0, FLOAT32_ATOL, "blue");
    ImageTensor nhwc = base.withLayout(TensorLayout.NHWC).apply(img);
    float[] hwc = nhwc.toArray();
    assertClose((20 - 2) / 4.0, hwc[1], 0, FLOAT32_ATOL, "NHWC index 1 is green of pixel 0");
    ImageTensor bgr = base.withChannelOrder(ChannelOrder.BGR).apply(img);
    assertClose((30 - 3) / 8.0, bgr.get(0, 0, 0), 0, FLOAT32_ATOL, "BGR channel 0 is blue");
  }

  @Test
  void constructor_rejectsInvalidComponents_namingTheValue() {
    IllegalArgumentException size =
        assertThrows(IllegalArgumentException.class, () -> ImagePreprocessing.squash(0));
    assertTrue(size.getMessage().contains("got 0"), size.getMessage());
    IllegalArgumentException crop =
        assertThrows(IllegalArgumentException.class, () -> ImagePreprocessing.centerCrop(224, 1.5));
    assertTrue(crop.getMessage().contains("1.5"), crop.getMessage());
    ImagePreprocessing ok = ImagePreprocessing.squash(8);
    IllegalArgumentException std =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ok.withNormalisation(
                    ValueRange.UNIT, List.of(0.0, 0.0, 0.0), List.of(1.0, 0.0, 1.0)));
    assertTrue(std.getMessage().contains("std[1] is 0.0"), std.getMessage());
    IllegalArgumentException mean =
        assertThrows(
            IllegalArgumentException.class,
            () -> ok.withNormalisation(ValueRange.UNIT, List.of(0.5, 0.5), List.of(1.0, 1.0, 1.0)));
    assertTrue(mean.getMessage().contains("got 2"), mean.getMessage());
    IllegalArgumentException squashCrop =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ImagePreprocessing(
                    8,
                    ResizeRule.RESIZE_SQUARE,
                    0.875,
                    ValueRange.UNIT,
                    List.of(0.0, 0.0, 0.0),
                    List.of(1.0, 1.0, 1.0),
                    ChannelOrder.RGB,
                    TensorLayout.NCHW));
    assertTrue(squashCrop.getMessage().contains("0.875"), squashCrop.getMessage());
  }

  @Test
  void json_roundTripsAndNamesMissingField() {
    ImagePreprocessing p =
        ImagePreprocessing.centerCrop(224, 0.875)
            .withNormalisation(
                ValueRange.UNIT, List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225))
            .withLayout(TensorLayout.NHWC);
    assertEquals(p, ImagePreprocessing.fromJson(p.toJson()));
    assertEquals(p.describe(), ImagePreprocessing.fromJson(p.toJson()).describe());
    String noLayout = p.toJson().replace("\"layout\"", "\"lay\"");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ImagePreprocessing.fromJson(noLayout));
    assertTrue(e.getMessage().contains("'layout'"), e.getMessage());
  }
}
