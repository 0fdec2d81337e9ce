package dev.lit4j.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes valid all-zero (black, or transparent black) PNG files of any size in a few megabytes of
 * memory and milliseconds: a 30000 × 30000 RGBA file, whose pixel data inflates to 3.6 GB, is about
 * 3.5 MB on disk and written without ever holding a row of pixels.
 *
 * <p>The filtered pixel data of an all-zero image (filter type 0 and zero samples on every row) is
 * a run of zero bytes. Its zlib stream is built from three deflate pieces: the first MiB of zeros,
 * one further MiB of zeros (ended by a sync flush, so it is byte-aligned and, since its matches
 * reach back at most 32 KiB into zeros, decodes to a MiB of zeros anywhere after the first MiB),
 * repeated as often as needed, and the final partial MiB; the Adler-32 of {@code n} zero bytes is
 * {@code (n mod 65521) << 16 | 1}. The file has one IHDR, one IDAT and IEND, each with a correct
 * CRC, so any PNG decoder reads it.
 */
public final class BlankPng {
  /** Colour type and bit depth of the written file. */
  public enum Colour {
    /** Greyscale, 1 bit per pixel (colour type 0): the smallest pixel data per pixel. */
    GREY_1_BIT(0, 1, 1),
    /** Truecolour with alpha, 8 bits per sample (colour type 6): 4 bytes per pixel. */
    RGBA_8_BIT(6, 8, 32);

    private final int colourType;
    private final int bitDepth;
    private final int bitsPerPixel;

    Colour(int colourType, int bitDepth, int bitsPerPixel) {
      this.colourType = colourType;
      this.bitDepth = bitDepth;
      this.bitsPerPixel = bitsPerPixel;
    }
  }

  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final int PIECE = 1 << 20;
  private static final int ADLER_BASE = 65521;

  private BlankPng() {}

  /**
   * Writes a {@code width × height} all-zero PNG to {@code file}.
   *
   * @return {@code file}
   * @throws IllegalArgumentException if a side is below 1
   */
  public static Path write(Path file, int width, int height, Colour colour) throws IOException {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("sides must be at least 1, got " + width + " x " + height);
    }
    long rowBytes = 1 + ((long) width * colour.bitsPerPixel + 7) / 8;
    byte[] zlib = zlibOfZeros(Math.multiplyExact(rowBytes, height));
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(SIGNATURE);
      ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
      DataOutputStream d = new DataOutputStream(ihdr);
      d.writeInt(width);
      d.writeInt(height);
      d.writeByte(colour.bitDepth);
      d.writeByte(colour.colourType);
      d.writeByte(0); // compression: deflate
      d.writeByte(0); // filter method: adaptive
      d.writeByte(0); // no interlace
      chunk(out, "IHDR", ihdr.toByteArray());
      chunk(out, "IDAT", zlib);
      chunk(out, "IEND", new byte[0]);
    }
    return file;
  }

  /** Returns a zlib stream (RFC 1950) that inflates to {@code n} zero bytes. */
  static byte[] zlibOfZeros(long n) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(0x78); // deflate, 32 KiB window
      out.write(0x9c); // default level; (0x78 * 256 + 0x9c) % 31 == 0
      byte[] zeros = new byte[PIECE];
      long pieces = n / PIECE;
      if (pieces > 0) {
        out.writeBytes(deflate(deflater, zeros, PIECE, Deflater.SYNC_FLUSH));
      }
      if (pieces > 1) {
        byte[] repeated = deflate(deflater, zeros, PIECE, Deflater.SYNC_FLUSH);
        for (long p = 1; p < pieces; p++) {
          out.writeBytes(repeated);
        }
      }
      deflater.setInput(zeros, 0, (int) (n % PIECE));
      out.writeBytes(finish(deflater));
      long adler = ((n % ADLER_BASE) << 16) | 1;
      out.write((int) (adler >>> 24));
      out.write((int) (adler >>> 16));
      out.write((int) (adler >>> 8));
      out.write((int) adler);
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  /** Deflates {@code length} bytes and sync-flushes: the output ends byte-aligned and complete. */
  private static byte[] deflate(Deflater deflater, byte[] input, int length, int flush) {
    deflater.setInput(input, 0, length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    int written;
    do { // a full buffer means more output may be pending (Deflater.deflate's contract)
      written = deflater.deflate(buffer, 0, buffer.length, flush);
      out.write(buffer, 0, written);
    } while (written == buffer.length);
    return out.toByteArray();
  }

  private static byte[] finish(Deflater deflater) {
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    while (!deflater.finished()) {
      out.write(buffer, 0, deflater.deflate(buffer));
    }
    return out.toByteArray();
  }

  private static void chunk(OutputStream out, String type, byte[] data) throws IOException {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(data.length);
    d.write(typeBytes);
    d.write(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    d.writeInt((int) crc.getValue());
    d.flush();
  }
}
