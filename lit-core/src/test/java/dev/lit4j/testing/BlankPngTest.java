package dev.lit4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlankPngTest {
  @TempDir Path dir;

  @Test
  void zlibOfZeros_inflatesToExactlyThatManyZerosWithAValidChecksum() throws DataFormatException {
    for (long n : new long[] {0, 1, 1 << 20, 3 * (1 << 20) + 17}) {
      Inflater inflater = new Inflater(); // checks the zlib header and the Adler-32
      try {
        inflater.setInput(BlankPng.zlibOfZeros(n));
        byte[] out = new byte[(int) n + 1];
        int inflated = 0;
        while (!inflater.finished()) {
          inflated += inflater.inflate(out, inflated, out.length - inflated);
        }
        assertEquals(n, inflated, "bytes inflated for n = " + n);
        assertEquals(0, inflater.getRemaining(), "trailing bytes for n = " + n);
        assertArrayEquals(new byte[(int) n + 1], out, "n = " + n);
      } finally {
        inflater.end();
      }
    }
  }

  @Test
  void write_rgbaOverSeveralPieces_isAPngThatImageIoDecodesToTransparentBlack() throws IOException {
    // 1000 rows of 1 + 3000 * 4 bytes: 12 MB of pixel data, 11 whole pieces and a partial one.
    Path file = BlankPng.write(dir.resolve("blank.png"), 3000, 1000, BlankPng.Colour.RGBA_8_BIT);

    BufferedImage read = ImageIO.read(file.toFile());

    assertEquals(3000, read.getWidth());
    assertEquals(1000, read.getHeight());
    assertTrue(read.getColorModel().hasAlpha());
    for (int y = 0; y < 1000; y += 37) {
      for (int x = 0; x < 3000; x += 101) {
        assertEquals(0, read.getRGB(x, y), "pixel " + x + ", " + y);
      }
    }
    assertEquals(0, read.getRGB(2999, 999));
  }

  @Test
  void write_hugeImage_isAFewMegabytes() throws IOException {
    Path file = BlankPng.write(dir.resolve("huge.png"), 30000, 30000, BlankPng.Colour.RGBA_8_BIT);

    long size = Files.size(file);
    assertTrue(size < 8_000_000, "30000 x 30000 RGBA blank PNG is " + size + " bytes");
  }
}
