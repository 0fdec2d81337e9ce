package dev.lit4j.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.WritableRaster;
import java.util.Hashtable;

/**
 * The eight values of the EXIF/TIFF Orientation tag (0x0112; TIFF 6.0 section 8, CIPA DC-008 "Exif"
 * 4.6.4 A), each with the transform that turns the stored pixels into the image as it is meant to
 * be seen.
 *
 * <p>A transform is a pure pixel permutation: no resampling, and the result keeps the source's
 * colour model and sample layout (alpha, premultiplication, palette, bit depth), so its {@link
 * BufferedImage#getType() type} is the source's. Values 5 to 8 swap width and height.
 *
 * <p>Package-private: {@link ImageFiles} applies it; callers never choose it.
 */
enum ExifOrientation {
  /** 1: stored as seen. */
  NORMAL(1, false, false, false),
  /** 2: mirror left-right. */
  MIRROR_HORIZONTAL(2, false, true, false),
  /** 3: rotate 180°. */
  ROTATE_180(3, false, true, true),
  /** 4: mirror top-bottom. */
  MIRROR_VERTICAL(4, false, false, true),
  /** 5: mirror across the main diagonal (stored top-left stays top-left). */
  TRANSPOSE(5, true, false, false),
  /** 6: rotate 90° clockwise (the stored top row becomes the right column). */
  ROTATE_90_CW(6, true, false, true),
  /** 7: mirror across the anti-diagonal (stored top-left goes bottom-right). */
  TRANSVERSE(7, true, true, true),
  /** 8: rotate 270° clockwise (the stored top row becomes the left column). */
  ROTATE_270_CW(8, true, true, false);

  private final int tag;

  // Result pixel (u, v) is source pixel (x, y) with (x, y) = transposes ? (v, u) : (u, v), then
  // x -> width - 1 - x if flipsX and y -> height - 1 - y if flipsY.
  private final boolean transposes;
  private final boolean flipsX;
  private final boolean flipsY;

  ExifOrientation(int tag, boolean transposes, boolean flipsX, boolean flipsY) {
    this.tag = tag;
    this.transposes = transposes;
    this.flipsX = flipsX;
    this.flipsY = flipsY;
  }

  /** The tag value, 1 to 8. */
  int tag() {
    return tag;
  }

  /**
   * The orientation a tag value stands for; any value outside 1 to 8 (0 is written by some software
   * for "unknown") is {@link #NORMAL}, i.e. the image is used as stored.
   */
  static ExifOrientation fromTag(long value) {
    for (ExifOrientation o : values()) {
      if (o.tag == value) {
        return o;
      }
    }
    return NORMAL;
  }

  /**
   * Returns {@code image} transformed for display: {@code image} itself for {@link #NORMAL},
   * otherwise a new image of the same colour model and sample layout ({@code image} is not
   * modified).
   */
  BufferedImage applyTo(BufferedImage image) {
    if (this == NORMAL) {
      return image;
    }
    int width = image.getWidth();
    int height = image.getHeight();
    WritableRaster source = image.getRaster();
    int outWidth = transposes ? height : width;
    int outHeight = transposes ? width : height;
    WritableRaster target = source.createCompatibleWritableRaster(outWidth, outHeight);
    OrientedRasterCopy.copy(source, target, transposes, flipsX, flipsY);
    ColorModel colourModel = image.getColorModel();
    return new BufferedImage(
        colourModel, target, colourModel.isAlphaPremultiplied(), properties(image));
  }

  private static Hashtable<String, Object> properties(BufferedImage image) {
    Hashtable<String, Object> properties = new Hashtable<>();
    String[] names = image.getPropertyNames();
    if (names != null) {
      for (String name : names) {
        Object value = image.getProperty(name);
        // getProperty answers Image.UndefinedProperty (never null) for unknown names.
        if (value != null && value != java.awt.Image.UndefinedProperty) {
          properties.put(name, value);
        }
      }
    }
    return properties;
  }
}
