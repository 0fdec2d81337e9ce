package dev.lit4j.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.image.ImageReadException.Reason;
import dev.lit4j.testing.BlankPng;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {

  /** Lossy JPEG at default quality moves a flat colour by a few levels; 12 is generous. */
  private static final int JPEG_CHANNEL_TOLERANCE = 12;

  @TempDir Path dir;

  @Test
  void read_pngWithAlpha_keepsAlpha() throws IOException {
    BufferedImage argb = new BufferedImage(20, 10, BufferedImage.TYPE_INT_ARGB);
    fill(argb, new Color(10, 200, 30, 77));
    Path file = write(argb, "png", "alpha.png");

    BufferedImage read = ImageFiles.read(file);

    assertEquals(20, read.getWidth());
    assertEquals(10, read.getHeight());
    assertTrue(read.getColorModel().hasAlpha());
    assertEquals(new Color(10, 200, 30, 77).getRGB(), read.getRGB(3, 4));
  }

  @Test
  void read_greyPaletteAnd16BitPngs_decodeTheirPixels() throws IOException {
    BufferedImage grey = new BufferedImage(8, 6, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSample(2, 3, 0, 200);
    BufferedImage grey16 = new BufferedImage(8, 6, BufferedImage.TYPE_USHORT_GRAY);
    grey16.getRaster().setSample(2, 3, 0, 51_400);
    byte[] r = {0, (byte) 255}, g = {0, 0}, b = {0, (byte) 128};
    BufferedImage palette =
        new BufferedImage(8, 6, BufferedImage.TYPE_BYTE_BINARY, new IndexColorModel(1, 2, r, g, b));
    palette.getRaster().setSample(2, 3, 0, 1);

    BufferedImage greyRead = ImageFiles.read(write(grey, "png", "grey.png"));
    BufferedImage grey16Read = ImageFiles.read(write(grey16, "png", "grey16.png"));
    BufferedImage paletteRead = ImageFiles.read(write(palette, "png", "palette.png"));

    assertEquals(200, greyRead.getRaster().getSample(2, 3, 0));
    assertEquals(16, grey16Read.getColorModel().getComponentSize(0));
    assertEquals(51_400, grey16Read.getRaster().getSample(2, 3, 0));
    assertEquals(new Color(255, 0, 128).getRGB(), paletteRead.getRGB(2, 3));
    assertEquals(new Color(0, 0, 0).getRGB(), paletteRead.getRGB(0, 0));
  }

  @Test
  void read_gifAndBmp_decodeTheirPixels() throws IOException {
    BufferedImage rgb = new BufferedImage(9, 7, BufferedImage.TYPE_INT_RGB);
    fill(rgb, new Color(0, 0, 255));
    rgb.setRGB(4, 5, new Color(255, 0, 0).getRGB());

    BufferedImage gif = ImageFiles.read(write(rgb, "gif", "a.gif"));
    BufferedImage bmp = ImageFiles.read(write(rgb, "bmp", "a.bmp"));

    for (BufferedImage read : new BufferedImage[] {gif, bmp}) {
      assertEquals(9, read.getWidth());
      assertEquals(7, read.getHeight());
      assertEquals(new Color(255, 0, 0).getRGB(), read.getRGB(4, 5) | 0xFF000000);
      assertEquals(new Color(0, 0, 255).getRGB(), read.getRGB(0, 0) | 0xFF000000);
    }
  }

  @Test
  void read_baselineAndProgressiveJpeg_decodeTheColour() throws IOException {
    BufferedImage rgb = new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB);
    fill(rgb, new Color(200, 60, 20));
    Path baseline = write(rgb, "jpg", "baseline.jpg");
    Path progressive = dir.resolve("progressive.jpg");
    writeJpeg(new IIOImage(rgb, null, null), progressive, true);
    assertTrue(startsWithProgressiveMarker(progressive), "the writer made a progressive JPEG");

    for (Path file : new Path[] {baseline, progressive}) {
      BufferedImage read = ImageFiles.read(file);
      assertEquals(32, read.getWidth());
      assertEquals(24, read.getHeight());
      assertColourNear(new Color(200, 60, 20), new Color(read.getRGB(16, 12)));
    }
  }

  @Test
  void read_adobeCmykJpeg_isConvertedToRgb() throws IOException {
    // Adobe CMYK JPEGs store inverted ink values: (255, 0, 0, 255) is C=0, M=1, Y=1, K=0, red.
    // The JDK reader returns such files in a CMYK colour space; TwelveMonkeys converts to RGB.
    int w = 16, h = 8;
    WritableRaster cmyk =
        java.awt.image.Raster.createInterleavedRaster(
            java.awt.image.DataBuffer.TYPE_BYTE, w, h, 4, null);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        cmyk.setPixel(x, y, new int[] {255, 0, 0, 255});
      }
    }
    Path plain = dir.resolve("plain-cmyk.jpg");
    writeJpeg(new IIOImage(cmyk, null, null), plain, false);
    byte[] jpeg = Files.readAllBytes(plain);
    // APP14 "Adobe", version 100, flags 0, transform 0 (CMYK, no colour transform).
    byte[] adobe = {
      (byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0
    };
    byte[] withMarker = new byte[jpeg.length + adobe.length];
    System.arraycopy(jpeg, 0, withMarker, 0, 2); // SOI
    System.arraycopy(adobe, 0, withMarker, 2, adobe.length);
    System.arraycopy(jpeg, 2, withMarker, 2 + adobe.length, jpeg.length - 2);
    Path file = Files.write(dir.resolve("cmyk.jpg"), withMarker);

    BufferedImage read = ImageFiles.read(file);

    assertEquals(w, read.getWidth());
    assertEquals(h, read.getHeight());
    assertEquals(3, read.getColorModel().getNumColorComponents());
    assertColourNear(new Color(255, 0, 0), new Color(read.getRGB(8, 4)));
  }

  @Test
  void read_largeImage_isSubsampledAtDecodeTime() throws IOException {
    BufferedImage big = new BufferedImage(6000, 4000, BufferedImage.TYPE_BYTE_GRAY);
    Path file = write(big, "png", "big.png");

    BufferedImage read = ImageFiles.read(file, 448);

    // factor floor(4000 / 448) = 8: ceil(6000 / 8) x ceil(4000 / 8)
    assertEquals(750, read.getWidth());
    assertEquals(500, read.getHeight());
    assertTrue(Math.min(read.getWidth(), read.getHeight()) >= 448);
  }

  @Test
  void read_imageBelowTwiceTheMinimum_isReadAtFullSize() throws IOException {
    BufferedImage img = new BufferedImage(895, 600, BufferedImage.TYPE_BYTE_GRAY);

    BufferedImage read = ImageFiles.read(write(img, "png", "medium.png"), 448);

    assertEquals(895, read.getWidth());
    assertEquals(600, read.getHeight());
  }

  @Test
  void subsamplingFactor_keepsTheShorterSideAtOrAboveTheMinimum() {
    for (int side = 1; side < 5000; side += 7) {
      int s = ImageFiles.subsamplingFactor(side * 3, side, 224);
      int shorter = (side + s - 1) / s;
      assertTrue(shorter >= Math.min(224, side), "side " + side + ", factor " + s);
      assertTrue(s == 1 || shorter < 2 * 224 + s, "side " + side + " under-subsampled: " + s);
    }
  }

  @Test
  void read_30000x30000Png_isTooLargeWithoutDecoding_namingTheSizeAndTheLimit() throws IOException {
    // 0.1 MB on disk, 900 megapixels in the header: decoding would inflate 112 MB of rows.
    Path bomb = BlankPng.write(dir.resolve("bomb.png"), 30000, 30000, BlankPng.Colour.GREY_1_BIT);

    ImageReadException e = assertThrows(ImageReadException.class, () -> ImageFiles.read(bomb));

    assertEquals(Reason.TOO_LARGE, e.reason());
    assertEquals(bomb, e.path());
    assertTrue(e.detail().contains("30000 x 30000 = 900,000,000 pixels"), e.detail());
    assertTrue(e.detail().contains("limit of 178,956,970 pixels"), e.detail());
    assertTrue(e.detail().contains("maxPixels"), e.detail());
  }

  @Test
  void read_rgba30000x30000PngWithSubsampling_isTooLargeNotCorrupt() throws IOException {
    // Reported as "CORRUPT: decoder failed: Invalid scanline stride" at full size, and decoded
    // for ~40 s of CPU with subsampling, although the file is valid.
    Path bomb =
        BlankPng.write(dir.resolve("rgba-bomb.png"), 30000, 30000, BlankPng.Colour.RGBA_8_BIT);

    ImageReadException full = assertThrows(ImageReadException.class, () -> ImageFiles.read(bomb));
    ImageReadException subsampled =
        assertThrows(ImageReadException.class, () -> ImageFiles.read(bomb, 448));

    assertEquals(Reason.TOO_LARGE, full.reason());
    assertEquals(Reason.TOO_LARGE, subsampled.reason());
    assertTrue(subsampled.detail().contains("30000 x 30000"), subsampled.detail());
  }

  @Test
  void read_validPngTheDecoderCannotHoldAtFullSize_isDecoderFailedNotCorrupt() throws IOException {
    // With the limit lifted, the JDK's PNG reader cannot make a 3.6 GB raster and throws before
    // reading any pixel, although the file is valid (BlankPng's files are; see BlankPngTest).
    Path bomb =
        BlankPng.write(dir.resolve("rgba-bomb.png"), 30000, 30000, BlankPng.Colour.RGBA_8_BIT);

    ImageReadException e =
        assertThrows(
            ImageReadException.class,
            () -> ImageFiles.read(bomb, Integer.MAX_VALUE, Long.MAX_VALUE));

    assertEquals(Reason.DECODER_FAILED, e.reason());
    assertTrue(e.detail().contains("PNG decoder failed on a 30000 x 30000 image"), e.detail());
    // JDK 17 says "IllegalArgumentException: Invalid scanline stride"; name whatever it threw.
    assertTrue(e.getCause() instanceof RuntimeException, String.valueOf(e.getCause()));
    assertTrue(e.detail().contains(e.getCause().getClass().getSimpleName()), e.detail());
    assertTrue(e.detail().contains("the file may be valid"), e.detail());
  }

  @Test
  void read_16000x10000Png_isUnderTheDefaultLimitAndSubsampled() throws IOException {
    // The size of the largest openclipart PNGs: they must keep being read, subsampled.
    Path clipart =
        BlankPng.write(dir.resolve("clipart.png"), 16000, 10000, BlankPng.Colour.GREY_1_BIT);

    BufferedImage read = ImageFiles.read(clipart, 448);

    // factor floor(10000 / 448) = 22: ceil(16000 / 22) x ceil(10000 / 22)
    assertEquals(728, read.getWidth());
    assertEquals(455, read.getHeight());
  }

  @Test
  void read_withAPixelLimit_acceptsExactlyTheLimitAndRefusesOneMore() throws IOException {
    BufferedImage img = new BufferedImage(100, 50, BufferedImage.TYPE_BYTE_GRAY);
    Path file = write(img, "png", "small.png");

    BufferedImage atLimit = ImageFiles.read(file, Integer.MAX_VALUE, 5000);
    ImageReadException e =
        assertThrows(
            ImageReadException.class, () -> ImageFiles.read(file, Integer.MAX_VALUE, 4999));

    assertEquals(100, atLimit.getWidth());
    assertEquals(Reason.TOO_LARGE, e.reason());
    assertTrue(e.detail().contains("100 x 50 = 5,000 pixels"), e.detail());
    assertTrue(e.detail().contains("limit of 4,999 pixels"), e.detail());
  }

  @Test
  void read_nonPositivePixelLimit_throwsNamingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ImageFiles.read(dir.resolve("a.png"), 448, 0));

    assertTrue(e.getMessage().contains("maxPixels must be at least 1, got 0"), e.getMessage());
  }

  @Test
  void read_truncatedPng_isCorrupt() throws IOException {
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    fill(img, new Color(1, 2, 3));
    img.setRGB(5, 5, 0xFFFFFF);
    Path file = write(img, "png", "full.png");
    byte[] bytes = Files.readAllBytes(file);
    Path truncated = Files.write(dir.resolve("truncated.png"), Arrays.copyOf(bytes, 60));

    ImageReadException e = assertThrows(ImageReadException.class, () -> ImageFiles.read(truncated));

    assertEquals(Reason.CORRUPT, e.reason());
    assertEquals(truncated, e.path());
    assertTrue(e.getMessage().contains("truncated.png"), e.getMessage());
  }

  @Test
  void read_truncatedJpeg_isCorrupt() throws IOException {
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    fill(img, new Color(90, 40, 10));
    byte[] bytes = Files.readAllBytes(write(img, "jpg", "full.jpg"));
    Path truncated =
        Files.write(dir.resolve("truncated.jpg"), Arrays.copyOf(bytes, bytes.length / 2));

    ImageReadException e = assertThrows(ImageReadException.class, () -> ImageFiles.read(truncated));

    assertEquals(Reason.CORRUPT, e.reason());
    assertTrue(e.getMessage().contains("truncated.jpg"), e.getMessage());
  }

  @Test
  void read_jpegMissingOnlyItsEndMarker_isAccepted() throws IOException {
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    fill(img, new Color(90, 40, 10));
    byte[] bytes = Files.readAllBytes(write(img, "jpg", "full.jpg"));
    Path noEoi = Files.write(dir.resolve("no-eoi.jpg"), Arrays.copyOf(bytes, bytes.length - 2));

    BufferedImage read = ImageFiles.read(noEoi);

    assertColourNear(new Color(90, 40, 10), new Color(read.getRGB(63, 63)));
  }

  @Test
  void read_textFileNamedJpg_isUnknownFormat() throws IOException {
    Path file = Files.writeString(dir.resolve("notes.jpg"), "not an image\n");

    ImageReadException e = assertThrows(ImageReadException.class, () -> ImageFiles.read(file));

    assertEquals(Reason.UNKNOWN_FORMAT, e.reason());
    assertTrue(e.getMessage().contains("notes.jpg"), e.getMessage());
  }

  @Test
  void read_emptyFile_isUnknownFormatAndSaysEmpty() throws IOException {
    Path file = Files.write(dir.resolve("empty.png"), new byte[0]);

    ImageReadException e = assertThrows(ImageReadException.class, () -> ImageFiles.read(file));

    assertEquals(Reason.UNKNOWN_FORMAT, e.reason());
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }

  @Test
  void read_missingPath_isMissing() {
    Path file = dir.resolve("nowhere.png");

    ImageReadException e = assertThrows(ImageReadException.class, () -> ImageFiles.read(file));

    assertEquals(Reason.MISSING, e.reason());
    assertTrue(e.getMessage().contains("nowhere.png"), e.getMessage());
  }

  @Test
  void read_directory_isUnreadable() {
    ImageReadException e = assertThrows(ImageReadException.class, () -> ImageFiles.read(dir));

    assertEquals(Reason.UNREADABLE, e.reason());
  }

  @Test
  void read_nonPositiveMinimum_throws() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ImageFiles.read(dir.resolve("a.png"), 0));

    assertTrue(e.getMessage().contains("0"), e.getMessage());
  }

  @Test
  void read_webp_decodesLossyAndLossless() throws IOException {
    for (String name : new String[] {"lossless.webp", "lossy.webp"}) {
      Path file = dir.resolve(name);
      try (InputStream in = getClass().getResourceAsStream(name)) {
        Files.copy(in, file);
      }

      BufferedImage read = ImageFiles.read(file);

      assertEquals(16, read.getWidth(), name);
      assertEquals(12, read.getHeight(), name);
      assertColourNear(new Color(30, 120, 220), new Color(read.getRGB(8, 6)));
    }
  }

  private Path write(BufferedImage image, String format, String name) throws IOException {
    Path file = dir.resolve(name);
    assertTrue(ImageIO.write(image, format, file.toFile()), "no writer for " + format);
    return file;
  }

  private static void writeJpeg(IIOImage image, Path file, boolean progressive) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    ImageWriter writer = writers.next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (progressive) {
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      }
      writer.write(null, image, param);
    } finally {
      writer.dispose();
    }
  }

  /** True if the file holds an SOF2 (progressive DCT) marker. */
  private static boolean startsWithProgressiveMarker(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    for (int i = 0; i + 1 < b.length; i++) {
      if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xC2) {
        return true;
      }
    }
    return false;
  }

  private static void fill(BufferedImage image, Color colour) {
    Graphics2D g = image.createGraphics();
    try {
      g.setComposite(java.awt.AlphaComposite.Src);
      g.setColor(colour);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
    } finally {
      g.dispose();
    }
  }

  private static void assertColourNear(Color expected, Color actual) {
    int[] e = {expected.getRed(), expected.getGreen(), expected.getBlue()};
    int[] a = {actual.getRed(), actual.getGreen(), actual.getBlue()};
    for (int c = 0; c < 3; c++) {
      assertTrue(
          Math.abs(e[c] - a[c]) <= JPEG_CHANNEL_TOLERANCE,
          "channel " + c + ": expected " + Arrays.toString(e) + ", got " + Arrays.toString(a));
    }
  }
}
