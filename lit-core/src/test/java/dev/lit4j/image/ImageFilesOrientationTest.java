package dev.lit4j.image;

import static dev.lit4j.image.ExifFixtures.exifApp1;
import static dev.lit4j.image.ExifFixtures.jpegWithApp1;
import static dev.lit4j.image.ExifFixtures.pngWithChunk;
import static dev.lit4j.image.ExifFixtures.tiff;
import static dev.lit4j.image.ExifFixtures.webpWithExif;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ImageFiles} turns images upright by their EXIF Orientation tag: real JPEG, PNG and WebP
 * files with a hand-built EXIF block, a 64 × 32 pattern of four flat quadrants whose corners tell
 * all eight orientations apart.
 */
class ImageFilesOrientationTest {

  /**
   * Lossy JPEG moves a flat colour by a few levels; the quadrants are 16-pixel aligned, so no JPEG
   * block or chroma MCU straddles two colours, and 12 levels is generous.
   */
  private static final int JPEG_CHANNEL_TOLERANCE = 12;

  /** PNG and lossless WebP are exact. */
  private static final int LOSSLESS_TOLERANCE = 0;

  private static final int WIDTH = 64;
  private static final int HEIGHT = 32;

  // The stored pattern (the same colours as the quadrants.webp fixture).
  private static final Color TL = new Color(220, 30, 30);
  private static final Color TR = new Color(30, 200, 60);
  private static final Color BL = new Color(30, 60, 220);
  private static final Color BR = new Color(230, 210, 40);

  /**
   * The displayed corners {top-left, top-right, bottom-left, bottom-right} for tag values 1 to 8,
   * written from the EXIF definitions "the 0th row is the visual ..., the 0th column is the visual
   * ...", not from the implementation.
   */
  private static final Color[][] DISPLAYED_CORNERS = {
    null,
    {TL, TR, BL, BR}, // 1: row 0 top, column 0 left
    {TR, TL, BR, BL}, // 2: row 0 top, column 0 right
    {BR, BL, TR, TL}, // 3: row 0 bottom, column 0 right
    {BL, BR, TL, TR}, // 4: row 0 bottom, column 0 left
    {TL, BL, TR, BR}, // 5: row 0 left, column 0 top
    {BL, TL, BR, TR}, // 6: row 0 right, column 0 top
    {BR, TR, BL, TL}, // 7: row 0 right, column 0 bottom
    {TR, BR, TL, BL}, // 8: row 0 left, column 0 bottom
  };

  @TempDir Path dir;

  @Test
  void read_jpegWithEachOrientationInBothByteOrders_isUpright() throws IOException {
    byte[] jpeg = jpeg(pattern(BufferedImage.TYPE_INT_RGB));
    for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      for (int k = 1; k <= 8; k++) {
        Path file =
            save("o" + k + "-" + order + ".jpg", jpegWithApp1(jpeg, exifApp1(tiff(order, k))));

        BufferedImage read = ImageFiles.read(file);

        assertUpright(k, read, JPEG_CHANNEL_TOLERANCE, file + " (orientation " + k + ")");
      }
    }
  }

  @Test
  void read_jpegWithoutExif_isAsStored() throws IOException {
    Path file = save("plain.jpg", jpeg(pattern(BufferedImage.TYPE_INT_RGB)));

    assertUpright(1, ImageFiles.read(file), JPEG_CHANNEL_TOLERANCE, "no EXIF");
  }

  @Test
  void read_orientationOutsideOneToEight_isAsStored() throws IOException {
    byte[] jpeg = jpeg(pattern(BufferedImage.TYPE_INT_RGB));
    for (int value : new int[] {0, 9, 0xFFFF}) {
      Path file =
          save(
              "value" + value + ".jpg",
              jpegWithApp1(jpeg, exifApp1(tiff(ByteOrder.BIG_ENDIAN, value))));

      assertUpright(1, ImageFiles.read(file), JPEG_CHANNEL_TOLERANCE, "orientation " + value);
    }
  }

  @Test
  void read_orientationStoredAsLong_isApplied() throws IOException {
    // The spec says SHORT, but a reader should not care how wide the number is.
    byte[] tiff = ExifFixtures.tiff(ByteOrder.BIG_ENDIAN, ExifFixtures.LONG, 1, 6);
    Path file =
        save("long.jpg", jpegWithApp1(jpeg(pattern(BufferedImage.TYPE_INT_RGB)), exifApp1(tiff)));

    assertUpright(6, ImageFiles.read(file), JPEG_CHANNEL_TOLERANCE, "LONG orientation");
  }

  @Test
  void read_corruptOrUnusableExif_isReadAsStoredWithoutError() throws IOException {
    byte[] jpeg = jpeg(pattern(BufferedImage.TYPE_INT_RGB));
    byte[] good = tiff(ByteOrder.LITTLE_ENDIAN, 6);
    byte[] badByteOrder = good.clone();
    badByteOrder[0] = 'X';
    badByteOrder[1] = 'Y';
    byte[] ifdOutside = good.clone();
    ByteBuffer.wrap(ifdOutside).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 0x7FFF_FFF0); // IFD0
    byte[][] payloads = {
      exifApp1(Arrays.copyOf(good, 11)), // truncated inside IFD0's entry count
      exifApp1(Arrays.copyOf(good, 24)), // truncated inside the first entry
      exifApp1(new byte[0]), // identifier only
      Arrays.copyOf(ExifFixtures.EXIF_ID, 4), // "Exif" without its terminator
      exifApp1(badByteOrder),
      exifApp1(ifdOutside),
      exifApp1(ExifFixtures.tiff(ByteOrder.LITTLE_ENDIAN, ExifFixtures.SHORT, 2, 6)), // two values
      exifApp1(ExifFixtures.tiff(ByteOrder.LITTLE_ENDIAN, ExifFixtures.ASCII, 2, '6')), // text
    };
    for (int i = 0; i < payloads.length; i++) {
      Path file = save("corrupt" + i + ".jpg", jpegWithApp1(jpeg, payloads[i]));

      BufferedImage read = ImageFiles.read(file);

      assertUpright(1, read, JPEG_CHANNEL_TOLERANCE, "corrupt EXIF case " + i);
    }
  }

  @Test
  void read_subsampledJpeg_isOrientedAfterSubsampling() throws IOException {
    byte[] jpeg = jpeg(pattern(BufferedImage.TYPE_INT_RGB));
    Path file = save("sub.jpg", jpegWithApp1(jpeg, exifApp1(tiff(ByteOrder.BIG_ENDIAN, 6))));

    // factor floor(32 / 8) = 4: 64 x 32 is decoded as 16 x 8, then turned to 8 x 16.
    BufferedImage read = ImageFiles.read(file, 8);

    assertUpright(6, read, 16, 8, JPEG_CHANNEL_TOLERANCE, "subsampled");
  }

  @Test
  void read_pngWithEXifChunk_isUprightForEachOrientation() throws IOException {
    byte[] png = png(pattern(BufferedImage.TYPE_INT_RGB));
    for (int k = 1; k <= 8; k++) {
      ByteOrder order = k % 2 == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      Path file = save("o" + k + ".png", pngWithChunk(png, "eXIf", tiff(order, k), false));

      assertUpright(k, ImageFiles.read(file), LOSSLESS_TOLERANCE, "PNG orientation " + k);
    }
  }

  @Test
  void read_pngWithEXifAfterImageDataOrWithExifPrefix_isUpright() throws IOException {
    byte[] png = png(pattern(BufferedImage.TYPE_INT_RGB));
    byte[] exif = tiff(ByteOrder.BIG_ENDIAN, 8);
    Path after = save("after.png", pngWithChunk(png, "eXIf", exif, true));
    Path prefixed = save("prefixed.png", pngWithChunk(png, "eXIf", exifApp1(exif), false));

    assertUpright(8, ImageFiles.read(after), LOSSLESS_TOLERANCE, "eXIf after IDAT");
    assertUpright(8, ImageFiles.read(prefixed), LOSSLESS_TOLERANCE, "eXIf with Exif prefix");
  }

  @Test
  void read_pngWithAlpha_keepsTypeAndAlphaWhenRotated() throws IOException {
    BufferedImage argb = pattern(BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, new Color(220, 30, 30, 40).getRGB()); // stored top-left, mostly transparent
    Path plain = save("alpha.png", png(argb));
    Path rotated =
        save("alpha6.png", pngWithChunk(png(argb), "eXIf", tiff(ByteOrder.BIG_ENDIAN, 6), false));
    BufferedImage stored = ImageFiles.read(plain);

    BufferedImage read = ImageFiles.read(rotated);

    assertEquals(stored.getType(), read.getType());
    assertTrue(read.getColorModel().hasAlpha());
    // Rotated 90° clockwise, the stored top-left pixel is the top-right one.
    assertEquals(new Color(220, 30, 30, 40).getRGB(), read.getRGB(HEIGHT - 1, 0));
    assertEquals(0xFF, read.getRGB(0, 0) >>> 24);
  }

  @Test
  void read_webpWithExifChunk_isUprightForEachOrientation() throws IOException {
    byte[] webp = resource("quadrants.webp");
    for (int k = 1; k <= 8; k++) {
      ByteOrder order = k % 2 == 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
      Path file = save("o" + k + ".webp", webpWithExif(webp, WIDTH, HEIGHT, tiff(order, k)));

      assertUpright(k, ImageFiles.read(file), LOSSLESS_TOLERANCE, "WebP orientation " + k);
    }
  }

  @Test
  void read_webpWithExifPrefixedChunk_isUpright() throws IOException {
    byte[] webp = resource("quadrants.webp");
    byte[] exif = exifApp1(tiff(ByteOrder.LITTLE_ENDIAN, 3));
    Path file = save("prefixed.webp", webpWithExif(webp, WIDTH, HEIGHT, exif));

    assertUpright(3, ImageFiles.read(file), LOSSLESS_TOLERANCE, "WebP EXIF with Exif prefix");
  }

  @Test
  void read_webpWithoutExif_isAsStored() throws IOException {
    Path file = save("plain.webp", resource("quadrants.webp"));

    assertUpright(1, ImageFiles.read(file), LOSSLESS_TOLERANCE, "plain WebP");
  }

  /**
   * Size and the four corner colours of {@code read} are those of the pattern under tag {@code k}.
   */
  private static void assertUpright(int k, BufferedImage read, int tolerance, String what) {
    assertUpright(k, read, WIDTH, HEIGHT, tolerance, what);
  }

  /** As above for a pattern decoded at {@code storedWidth} × {@code storedHeight}. */
  private static void assertUpright(
      int k, BufferedImage read, int storedWidth, int storedHeight, int tolerance, String what) {
    boolean swapped = k >= 5;
    assertEquals(swapped ? storedHeight : storedWidth, read.getWidth(), what + ": width");
    assertEquals(swapped ? storedWidth : storedHeight, read.getHeight(), what + ": height");
    int r = read.getWidth() - 1;
    int b = read.getHeight() - 1;
    Color[] expected = DISPLAYED_CORNERS[k];
    assertNear(expected[0], read.getRGB(0, 0), tolerance, what + ": top-left");
    assertNear(expected[1], read.getRGB(r, 0), tolerance, what + ": top-right");
    assertNear(expected[2], read.getRGB(0, b), tolerance, what + ": bottom-left");
    assertNear(expected[3], read.getRGB(r, b), tolerance, what + ": bottom-right");
  }

  private static void assertNear(Color expected, int argb, int tolerance, String what) {
    Color actual = new Color(argb);
    int[] e = {expected.getRed(), expected.getGreen(), expected.getBlue()};
    int[] a = {actual.getRed(), actual.getGreen(), actual.getBlue()};
    for (int c = 0; c < 3; c++) {
      assertTrue(
          Math.abs(e[c] - a[c]) <= tolerance,
          what + ": expected " + Arrays.toString(e) + ", got " + Arrays.toString(a));
    }
  }

  private static BufferedImage pattern(int type) {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, type);
    Graphics2D g = image.createGraphics();
    try {
      int w = WIDTH / 2;
      int h = HEIGHT / 2;
      fill(g, TL, 0, 0, w, h);
      fill(g, TR, w, 0, w, h);
      fill(g, BL, 0, h, w, h);
      fill(g, BR, w, h, w, h);
    } finally {
      g.dispose();
    }
    return image;
  }

  private static void fill(Graphics2D g, Color colour, int x, int y, int w, int h) {
    g.setColor(colour);
    g.fillRect(x, y, w, h);
  }

  private static byte[] jpeg(BufferedImage image) throws IOException {
    return encode(image, "jpg");
  }

  private static byte[] png(BufferedImage image) throws IOException {
    return encode(image, "png");
  }

  private static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, format, out), "no writer for " + format);
    return out.toByteArray();
  }

  private byte[] resource(String name) throws IOException {
    try (InputStream in = getClass().getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  private Path save(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }
}
