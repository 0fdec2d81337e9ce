package dev.lit4j.image;

import dev.lit4j.image.ImageReadException.Reason;
import java.awt.image.BufferedImage;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads image files into {@link BufferedImage}s, robustly and without decoding huge images at full
 * size.
 *
 * <p>The format is recognised from the file's content, never its extension, by the {@link ImageIO}
 * readers on the class path: the JDK's PNG (including alpha, grey, palette and 16-bit), GIF (first
 * frame) and BMP readers, and the pure-Java TwelveMonkeys readers for JPEG (including CMYK/YCCK,
 * Adobe and progressive JPEGs) and WebP. Apart from orientation (below) the image is returned as
 * decoded; colour conversion, resizing and cropping are the image tower's preprocessing.
 *
 * <p><b>Orientation.</b> Cameras and phones store a photo as the sensor saw it and record how to
 * turn it upright in the EXIF Orientation tag (0x0112). Every read applies that tag, so the result
 * is the image as it is meant to be seen: 2 mirrors left-right, 3 rotates 180°, 4 mirrors
 * top-bottom, 5 transposes, 6 rotates 90° clockwise, 7 transverses, 8 rotates 270° clockwise; 5 to
 * 8 swap width and height. The tag is read from a JPEG's APP1 "Exif" segment, a PNG's {@code eXIf}
 * chunk and a WebP's {@code EXIF} chunk (GIF and BMP have no EXIF). The transform is an exact pixel
 * permutation applied after decoding (and after any subsampling, whose factor does not depend on
 * orientation); the result keeps the decoded image's type, alpha and palette. A file without EXIF
 * or without the tag, an EXIF block that cannot be parsed, or a value outside 1 to 8 is read as
 * stored: metadata never makes a read fail. To get the stored pixels of an oriented file, read it
 * with {@link ImageIO#read(java.io.File)}. Note that Python pipelines that open images with PIL
 * without {@code ImageOps.exif_transpose} (open_clip, CLIP) or decode with {@code
 * tf.io.decode_image} (big_vision) see such files as stored, so their embeddings of EXIF-rotated
 * photos differ from lit4j's.
 *
 * <p><b>Large images.</b> {@link #read(Path, int)} reads the image size from the header first and,
 * if the shorter side is at least twice {@code minShorterSide}, decodes with source subsampling
 * ({@link ImageReadParam#setSourceSubsampling}) by the largest integer factor that keeps the
 * shorter side at or above {@code minShorterSide}. A 16000 × 10000 image read for a 224-pixel tower
 * with {@code minShorterSide = 448} is decoded as 727 × 455, never at full size. Subsampling keeps
 * every {@code s}-th pixel (no filtering); with at least twice the tower's input size left, the
 * tower's own anti-aliased resize does the rest.
 *
 * <p><b>Pixel limit.</b> Before decoding, the size in the header is checked against a pixel limit
 * ({@link #DEFAULT_MAX_PIXELS} unless given): an image with more than {@code maxPixels} pixels
 * ({@code width × height}, before subsampling) is refused with {@link Reason#TOO_LARGE} without
 * decoding any pixel data. Subsampling bounds the memory of a read but not its time: every row is
 * still inflated and unfiltered (a 30000 × 30000 RGBA PNG means 3.6 GB of pixel data, some 40 s of
 * CPU), and such a file can be under 1 MB (a "decompression bomb"). The default is Pillow's: it
 * raises {@code DecompressionBombError} above {@code 2 × Image.MAX_IMAGE_PIXELS} = 178,956,970
 * pixels, so lit4j refuses what Python pipelines built on Pillow (open_clip, CLIP) refuse, and
 * reads the large clip art that real data sets hold (16000 × 10000 = 160 megapixels, subsampled).
 * Pass {@link Long#MAX_VALUE} to {@link #read(Path, int, long)} to disable the check for trusted
 * files.
 *
 * <p><b>Errors.</b> Every failure is an {@link ImageReadException} naming the path and a {@link
 * Reason}: a missing path, a path that is not a readable file, content no reader recognises, a
 * recognised format whose data is truncated or corrupt, an image over the pixel limit ({@link
 * Reason#TOO_LARGE}), or an unexpected exception from the decoder after it read a valid header
 * ({@link Reason#DECODER_FAILED}: the file may be valid, so it is not called corrupt). Decoder
 * warnings that announce lost data (a JPEG that ends early) count as corrupt, as in Pillow's
 * default ({@code LOAD_TRUNCATED_IMAGES = False}).
 *
 * <p>Thread-safe: every call uses its own reader; calls may run in parallel.
 */
public final class ImageFiles {
  /**
   * The default limit on the pixels ({@code width × height}) an image may declare: 178,956,970,
   * Pillow's {@code DecompressionBombError} threshold ({@code 2 × MAX_IMAGE_PIXELS}).
   */
  public static final long DEFAULT_MAX_PIXELS = 178_956_970L;

  private ImageFiles() {}

  /**
   * Reads an image at full resolution, refusing images over {@link #DEFAULT_MAX_PIXELS}.
   *
   * @param path the image file
   * @return the decoded image (first frame of a multi-frame file), turned upright by its EXIF
   *     orientation
   * @throws ImageReadException if the file is missing, unreadable, of unknown format, corrupt, over
   *     the pixel limit, or the decoder fails (see {@link Reason})
   */
  public static BufferedImage read(Path path) throws ImageReadException {
    return read(path, Integer.MAX_VALUE, DEFAULT_MAX_PIXELS);
  }

  /**
   * Reads an image, subsampling at decode time so that its shorter side stays at or above {@code
   * minShorterSide} but is no more than about twice that (images already smaller are read at full
   * size).
   *
   * <pre>{@code
   * BufferedImage img = ImageFiles.read(Path.of("photo.jpg"), 2 * 224);
   * }</pre>
   *
   * @param path the image file
   * @param minShorterSide the smallest shorter side the result may have after subsampling, e.g.
   *     twice the tower's input size
   * @return the decoded image (first frame of a multi-frame file), turned upright by its EXIF
   *     orientation (so for orientations 5 to 8 its width is the file's height)
   * @throws IllegalArgumentException if {@code minShorterSide < 1}
   * @throws ImageReadException if the file is missing, unreadable, of unknown format, corrupt, over
   *     {@link #DEFAULT_MAX_PIXELS}, or the decoder fails (see {@link Reason})
   */
  public static BufferedImage read(Path path, int minShorterSide) throws ImageReadException {
    return read(path, minShorterSide, DEFAULT_MAX_PIXELS);
  }

  /**
   * Reads an image as {@link #read(Path, int)} does, refusing it before decoding if its header
   * declares more than {@code maxPixels} pixels.
   *
   * <pre>{@code
   * BufferedImage img = ImageFiles.read(Path.of("poster.png"), 2 * 224, 400_000_000L);
   * }</pre>
   *
   * @param path the image file
   * @param minShorterSide as for {@link #read(Path, int)}; {@link Integer#MAX_VALUE} reads at full
   *     resolution
   * @param maxPixels the most pixels ({@code width × height} in the header, before subsampling) an
   *     image may have; {@link Long#MAX_VALUE} for no limit
   * @return the decoded image, as for {@link #read(Path, int)}
   * @throws IllegalArgumentException if {@code minShorterSide < 1} or {@code maxPixels < 1}
   * @throws ImageReadException if the file is missing, unreadable, of unknown format, corrupt, over
   *     {@code maxPixels} ({@link Reason#TOO_LARGE}), or the decoder fails ({@link
   *     Reason#DECODER_FAILED})
   */
  public static BufferedImage read(Path path, int minShorterSide, long maxPixels)
      throws ImageReadException {
    Objects.requireNonNull(path, "path");
    if (minShorterSide < 1) {
      throw new IllegalArgumentException(
          "minShorterSide must be at least 1, got " + minShorterSide);
    }
    if (maxPixels < 1) {
      throw new IllegalArgumentException(
          "maxPixels must be at least 1, got " + maxPixels + "; use Long.MAX_VALUE for no limit");
    }
    checkReadableFile(path);
    try (ImageInputStream in = ImageIO.createImageInputStream(path.toFile())) {
      if (in == null) {
        throw new ImageReadException(path, Reason.UNREADABLE, "no image input stream", null);
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        String detail =
            Files.size(path) == 0
                ? "the file is empty"
                : "the content is not in a known image format (PNG, JPEG, GIF, BMP, WebP)";
        throw new ImageReadException(path, Reason.UNKNOWN_FORMAT, detail, null);
      }
      ImageReader reader = readers.next();
      ExifOrientation orientation = ExifOrientationReader.read(in);
      BufferedImage stored;
      try {
        reader.setInput(in);
        stored = decode(path, reader, minShorterSide, maxPixels);
      } finally {
        reader.dispose();
      }
      return orientation.applyTo(stored);
    } catch (ImageReadException e) {
      throw e;
    } catch (NoSuchFileException e) {
      throw new ImageReadException(path, Reason.MISSING, "no such file", e);
    } catch (IIOException | EOFException e) {
      throw new ImageReadException(path, Reason.CORRUPT, describe(e), e);
    } catch (IOException e) {
      throw new ImageReadException(path, Reason.UNREADABLE, describe(e), e);
    }
  }

  private static BufferedImage decode(
      Path path, ImageReader reader, int minShorterSide, long maxPixels) throws IOException {
    List<String> warnings = new ArrayList<>();
    reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
    int width;
    int height;
    try {
      width = reader.getWidth(0);
      height = reader.getHeight(0);
    } catch (RuntimeException e) {
      // Decoders throw unchecked exceptions (index errors, bad arguments) on malformed headers.
      throw new ImageReadException(
          path, Reason.CORRUPT, "the header cannot be parsed: " + describeWithClass(e), e);
    }
    if (width <= 0 || height <= 0) {
      throw new ImageReadException(
          path, Reason.CORRUPT, "header declares size " + width + " x " + height, null);
    }
    long pixels = (long) width * height;
    if (pixels > maxPixels) {
      throw new ImageReadException(
          path, Reason.TOO_LARGE, tooLarge(width, height, maxPixels), null);
    }
    ImageReadParam param = reader.getDefaultReadParam();
    int factor = subsamplingFactor(width, height, minShorterSide);
    if (factor > 1) {
      param.setSourceSubsampling(factor, factor, 0, 0);
    }
    BufferedImage image;
    try {
      image = reader.read(0, param);
    } catch (RuntimeException e) {
      // The header was valid; an unchecked exception now may be bad data the decoder does not
      // check for, or a limit of the decoder on a valid file (a raster over 2 GiB): do not guess.
      throw new ImageReadException(
          path,
          Reason.DECODER_FAILED,
          "the "
              + formatName(reader)
              + " decoder failed on a "
              + width
              + " x "
              + height
              + " image after reading its header: "
              + describeWithClass(e)
              + "; the file may be valid (this is a decoder failure, not a corruption check)",
          e);
    }
    for (String warning : warnings) {
      if (announcesDataLoss(warning)) {
        throw new ImageReadException(path, Reason.CORRUPT, warning, null);
      }
    }
    return image;
  }

  private static String formatName(ImageReader reader) {
    try {
      return reader.getFormatName().toUpperCase(Locale.ROOT);
    } catch (IOException e) {
      return "image";
    }
  }

  private static String tooLarge(int width, int height, long maxPixels) {
    return String.format(
        Locale.ROOT,
        "the header declares %d x %d = %,d pixels, more than the limit of %,d pixels; the image"
            + " was not decoded. If the file is trusted, raise the limit: ImageFiles.read(path,"
            + " minShorterSide, maxPixels) or EmbeddingStoreBuilder.maxPixels(long)",
        width,
        height,
        (long) width * height,
        maxPixels);
  }

  /**
   * Returns the largest integer subsampling factor {@code s ≥ 1} with {@code ceil(min(width,
   * height) / s) ≥ minShorterSide}, i.e. {@code max(1, floor(min(width, height) /
   * minShorterSide))}.
   */
  static int subsamplingFactor(int width, int height, int minShorterSide) {
    return Math.max(1, Math.min(width, height) / minShorterSide);
  }

  /**
   * True for decoder warnings that mean pixel data is missing (TwelveMonkeys and libjpeg say
   * "premature end of data segment"). A JPEG that lacks only its final EOI marker ("Truncated File
   * - Missing EOI marker" alone) has every pixel and is accepted, as Pillow accepts it.
   */
  private static boolean announcesDataLoss(String warning) {
    String w = warning.toLowerCase(Locale.ROOT);
    return w.contains("premature end") || w.contains("unexpected end");
  }

  private static void checkReadableFile(Path path) throws ImageReadException {
    if (!Files.exists(path)) {
      throw new ImageReadException(path, Reason.MISSING, "no such file", null);
    }
    if (!Files.isRegularFile(path)) {
      throw new ImageReadException(path, Reason.UNREADABLE, "not a regular file", null);
    }
    if (!Files.isReadable(path)) {
      throw new ImageReadException(path, Reason.UNREADABLE, "no read permission", null);
    }
  }

  private static String describeWithClass(RuntimeException e) {
    String message = e.getMessage();
    String name = e.getClass().getSimpleName();
    return message == null || message.isBlank() ? name : name + ": " + message;
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
