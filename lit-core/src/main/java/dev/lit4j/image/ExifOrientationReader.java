package dev.lit4j.image;

import com.twelvemonkeys.imageio.metadata.CompoundDirectory;
import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Finds the EXIF Orientation tag of an image file: in a JPEG's first APP1 "Exif" segment, a PNG's
 * {@code eXIf} chunk, or a WebP's {@code EXIF} chunk. The EXIF block (a TIFF structure) is parsed
 * by TwelveMonkeys' {@link TIFFReader}; only IFD0, the main image's directory, is consulted (IFD1
 * describes the thumbnail).
 *
 * <p>Never fails because of metadata: a file without EXIF, an EXIF block that cannot be parsed, an
 * Orientation entry that is missing, not a single number, or outside 1 to 8 all give {@link
 * ExifOrientation#NORMAL}. Other formats (GIF, BMP) carry no EXIF and are {@code NORMAL}.
 *
 * <p>Stateless; thread-safe.
 */
final class ExifOrientationReader {

  /**
   * Larger EXIF payloads are ignored rather than buffered. JPEG caps an APP1 segment at 64 KiB, and
   * PNG and WebP writers copy that block, so a bigger one is damage, not metadata.
   */
  static final int MAX_EXIF_BYTES = 1 << 20;

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  private static final int PNG_EXIF = fourCc("eXIf");
  private static final int PNG_IEND = fourCc("IEND");
  private static final int RIFF = fourCc("RIFF");
  private static final int WEBP = fourCc("WEBP");
  private static final int WEBP_EXIF = fourCc("EXIF");
  private static final byte[] EXIF_ID = {'E', 'x', 'i', 'f', 0, 0};

  private ExifOrientationReader() {}

  /**
   * Reads the orientation from {@code in}, starting at its current position (the first byte of the
   * file), and seeks back there before returning, so that an image reader can follow.
   *
   * @throws IOException only if seeking back fails
   */
  static ExifOrientation read(ImageInputStream in) throws IOException {
    long start = in.getStreamPosition();
    ByteOrder order = in.getByteOrder();
    try {
      byte[] tiff = exifPayload(in, start);
      return tiff == null ? ExifOrientation.NORMAL : orientationIn(tiff);
    } catch (IOException | RuntimeException e) {
      // Metadata never fails a read: unreadable EXIF means the image is used as stored.
      return ExifOrientation.NORMAL;
    } finally {
      in.setByteOrder(order);
      in.seek(start);
    }
  }

  /** The TIFF structure of the file's EXIF block, or null if the file has none. */
  private static byte[] exifPayload(ImageInputStream in, long start) throws IOException {
    in.setByteOrder(ByteOrder.BIG_ENDIAN);
    byte[] head = new byte[12];
    in.readFully(head);
    in.seek(start);
    if ((head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8) {
      return jpegExif(in);
    }
    if (startsWith(head, 0, PNG_SIGNATURE)) {
      return pngExif(in, start);
    }
    if (intAt(head, 0) == RIFF && intAt(head, 8) == WEBP) {
      return webpExif(in, start);
    }
    return null;
  }

  private static byte[] jpegExif(ImageInputStream in) throws IOException {
    // Stops at the first SOS, so only the header segments are read.
    List<JPEGSegment> segments = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
    if (segments.isEmpty()) {
      return null;
    }
    byte[] data; // after "Exif\0"; the spec puts one padding byte before the TIFF header
    try (InputStream segment = segments.get(0).data()) {
      data = segment.readAllBytes();
    }
    int offset = data.length > 0 && !startsWithByteOrderMark(data, 0) ? 1 : 0;
    return Arrays.copyOfRange(data, offset, data.length);
  }

  /** PNG chunks: 4-byte big-endian length, type, data, CRC; eXIf may precede or follow IDAT. */
  private static byte[] pngExif(ImageInputStream in, long start) throws IOException {
    long position = start + PNG_SIGNATURE.length;
    while (true) {
      in.seek(position);
      long length = in.readUnsignedInt();
      int type = in.readInt();
      if (type == PNG_IEND) {
        return null;
      }
      if (type == PNG_EXIF) {
        return withoutExifId(readPayload(in, length));
      }
      position += 12 + length;
    }
  }

  /** RIFF chunks: FourCC, 4-byte little-endian size, data padded to an even length. */
  private static byte[] webpExif(ImageInputStream in, long start) throws IOException {
    in.seek(start + 4);
    long end = start + 8 + Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
    long position = start + 12;
    while (position + 8 <= end) {
      in.seek(position);
      int type = in.readInt();
      long size = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
      if (type == WEBP_EXIF) {
        return withoutExifId(readPayload(in, size));
      }
      position += 8 + size + (size & 1);
    }
    return null;
  }

  private static byte[] readPayload(ImageInputStream in, long length) throws IOException {
    if (length > MAX_EXIF_BYTES) {
      return null;
    }
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    return payload;
  }

  /**
   * PNG's eXIf and WebP's EXIF chunks hold the bare TIFF structure, but some writers copy the JPEG
   * form with its "Exif\0\0" prefix; accept both.
   */
  private static byte[] withoutExifId(byte[] payload) {
    if (payload != null && startsWith(payload, 0, EXIF_ID)) {
      return Arrays.copyOfRange(payload, EXIF_ID.length, payload.length);
    }
    return payload;
  }

  private static ExifOrientation orientationIn(byte[] tiff) throws IOException {
    try (ImageInputStream stream =
        new MemoryCacheImageInputStream(new ByteArrayInputStream(tiff))) {
      Directory directory = new TIFFReader().read(stream);
      Directory ifd0 = directory;
      if (directory instanceof CompoundDirectory compound) {
        if (compound.directoryCount() == 0) {
          return ExifOrientation.NORMAL;
        }
        ifd0 = compound.getDirectory(0);
      }
      Entry entry = ifd0.getEntryById(TIFF.TAG_ORIENTATION);
      // The reader stores an unreadable value as its exception, and a count > 1 as an array.
      if (entry != null && entry.getValue() instanceof Number value) {
        return ExifOrientation.fromTag(value.longValue());
      }
      return ExifOrientation.NORMAL;
    }
  }

  private static boolean startsWithByteOrderMark(byte[] data, int offset) {
    return data.length >= offset + 2
        && data[offset] == data[offset + 1]
        && (data[offset] == 'I' || data[offset] == 'M');
  }

  private static boolean startsWith(byte[] data, int offset, byte[] prefix) {
    if (data.length < offset + prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (data[offset + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static int intAt(byte[] data, int offset) {
    return (data[offset] & 0xFF) << 24
        | (data[offset + 1] & 0xFF) << 16
        | (data[offset + 2] & 0xFF) << 8
        | (data[offset + 3] & 0xFF);
  }

  private static int fourCc(String code) {
    return code.charAt(0) << 24 | code.charAt(1) << 16 | code.charAt(2) << 8 | code.charAt(3);
  }
}
