package dev.lit4j.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Builds EXIF blocks byte by byte (TIFF 6.0 section 2; CIPA DC-008 "Exif" 4.5, 4.7.2) and splices
 * them into real JPEG, PNG and WebP files, for the orientation tests.
 */
final class ExifFixtures {

  /** TIFF field types (TIFF 6.0 section 2, "Types"). */
  static final short ASCII = 2;

  static final short SHORT = 3;
  static final short LONG = 4;

  static final int TAG_IMAGE_DESCRIPTION = 0x010E;
  static final int TAG_ORIENTATION = 0x0112;

  /** "Exif\0\0": the Exif identifier code and its padding byte that open a JPEG APP1 segment. */
  static final byte[] EXIF_ID = {'E', 'x', 'i', 'f', 0, 0};

  private ExifFixtures() {}

  /** A TIFF structure whose IFD0 holds an ImageDescription and Orientation = {@code value}. */
  static byte[] tiff(ByteOrder order, int value) {
    return tiff(order, SHORT, 1, value);
  }

  /**
   * A TIFF structure: 8-byte header, IFD0 at offset 8 with two entries in ascending tag order (an
   * ImageDescription whose string lies after the IFD, so the reader must follow an offset, then the
   * Orientation entry with the given type, count and first value), next-IFD offset 0, then the
   * description's bytes.
   */
  static byte[] tiff(ByteOrder order, short orientationType, int orientationCount, int value) {
    byte[] description = "lit4j orientation test\0".getBytes(StandardCharsets.US_ASCII);
    int entries = 2;
    int ifdSize = 2 + 12 * entries + 4;
    int descriptionOffset = 8 + ifdSize;
    ByteBuffer b = ByteBuffer.allocate(descriptionOffset + description.length).order(order);
    b.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
    b.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
    b.putShort((short) 42);
    b.putInt(8);
    b.putShort((short) entries);
    b.putShort((short) TAG_IMAGE_DESCRIPTION).putShort(ASCII).putInt(description.length);
    b.putInt(descriptionOffset);
    b.putShort((short) TAG_ORIENTATION).putShort(orientationType).putInt(orientationCount);
    // Values of up to four bytes sit left-justified in the 4-byte value field.
    if (orientationType == LONG) {
      b.putInt(value);
    } else {
      b.putShort((short) value).putShort(orientationCount > 1 ? (short) value : 0);
    }
    b.putInt(0);
    b.put(description);
    return b.array();
  }

  /** {@code jpeg} with an APP1 segment holding {@code payload} inserted right after SOI. */
  static byte[] jpegWithApp1(byte[] jpeg, byte[] payload) {
    if ((jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
      throw new IllegalArgumentException("not a JPEG: no SOI");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    out.write(0xFF);
    out.write(0xE1);
    int length = 2 + payload.length; // the length field counts itself
    out.write(length >> 8);
    out.write(length & 0xFF);
    out.writeBytes(payload);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  /** {@code "Exif\0\0" + tiff}, the APP1 payload of an Exif JPEG. */
  static byte[] exifApp1(byte[] tiff) {
    return concat(EXIF_ID, tiff);
  }

  /**
   * {@code png} with a chunk of the given type inserted right after IHDR or right before IEND (that
   * is, after the image data).
   */
  static byte[] pngWithChunk(byte[] png, String type, byte[] data, boolean afterImageData) {
    int ihdrEnd = 8 + 4 + 4 + 13 + 4;
    int at = afterImageData ? png.length - 12 : ihdrEnd;
    if (!"IEND".equals(new String(png, png.length - 8, 4, StandardCharsets.US_ASCII))) {
      throw new IllegalArgumentException("PNG does not end with IEND");
    }
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    ByteBuffer chunk = ByteBuffer.allocate(12 + data.length); // PNG is big-endian
    chunk.putInt(data.length).put(typeBytes).put(data).putInt((int) crc.getValue());
    return concat(concat(Arrays.copyOf(png, at), chunk.array()), tail(png, at));
  }

  /**
   * A simple-format WebP ({@code RIFF WEBP} with one VP8 or VP8L chunk) rewritten in the extended
   * format: a VP8X chunk announcing EXIF, the image chunk, then an {@code EXIF} chunk holding
   * {@code exif} (Google, "WebP Container Specification", extended file format).
   */
  static byte[] webpWithExif(byte[] simpleWebp, int width, int height, byte[] exif) {
    if (!"VP8".equals(new String(simpleWebp, 12, 3, StandardCharsets.US_ASCII))) {
      throw new IllegalArgumentException("not a simple-format WebP");
    }
    byte[] imageChunk = tail(simpleWebp, 12);
    ByteBuffer vp8x = ByteBuffer.allocate(8 + 10).order(ByteOrder.LITTLE_ENDIAN);
    vp8x.put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10);
    vp8x.put((byte) 0x08).put(new byte[3]); // flags: EXIF present
    putUint24(vp8x, width - 1);
    putUint24(vp8x, height - 1);
    int padded = exif.length + (exif.length & 1);
    ByteBuffer exifChunk = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    exifChunk.put("EXIF".getBytes(StandardCharsets.US_ASCII)).putInt(exif.length).put(exif);
    byte[] body = concat(concat(vp8x.array(), imageChunk), exifChunk.array());
    ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    header.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + body.length);
    header.put("WEBP".getBytes(StandardCharsets.US_ASCII));
    return concat(header.array(), body);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] tail(byte[] a, int from) {
    return Arrays.copyOfRange(a, from, a.length);
  }

  private static void putUint24(ByteBuffer b, int v) {
    b.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
  }
}
