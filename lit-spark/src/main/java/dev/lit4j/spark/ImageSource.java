package dev.lit4j.spark;

import dev.lit4j.image.ImageFiles;
import dev.lit4j.image.ImageReadException;
import java.awt.image.BufferedImage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads an image named by a manifest through Hadoop's {@link FileSystem}, so that local paths,
 * {@code file:}, {@code hdfs://} and {@code s3a://} URIs (whichever file systems are on the class
 * path and configured) work alike, and decodes it with {@link ImageFiles} semantics: the same
 * format detection, EXIF orientation, subsampling, pixel limit and failure reasons as {@link
 * dev.lit4j.store.EmbeddingStoreBuilder}.
 *
 * <p>A file on the local file system is decoded in place. A file on any other file system is first
 * copied to a temporary local file (deleted after decoding), because {@link ImageFiles} reads from
 * a file; a missing remote file is {@code MISSING}, and a read error while copying is {@code
 * UNREADABLE}.
 *
 * <p>Not thread-safe (one per task); the file systems it uses are Hadoop's cached, shared ones.
 */
final class ImageSource {
  private final Configuration conf;
  private final Path base;
  private final int minDecodedSide;
  private final long maxPixels;

  /**
   * @param conf the Hadoop configuration (file system settings and credentials)
   * @param base the directory relative paths resolve against (the manifest's), or {@code null}
   */
  ImageSource(Configuration conf, String base, int minDecodedSide, long maxPixels) {
    this.conf = conf;
    this.base = base == null ? null : new Path(base);
    this.minDecodedSide = minDecodedSide;
    this.maxPixels = maxPixels;
  }

  /** Resolves a manifest path: absolute paths and URIs as they are, others against the base. */
  Path resolve(String path) {
    Path p = new Path(path);
    return p.isAbsolute() || p.toUri().getScheme() != null || base == null ? p : new Path(base, p);
  }

  /**
   * Reads and decodes one image.
   *
   * @throws ImageReadException with the reason, as {@link ImageFiles#read(java.nio.file.Path, int,
   *     long)} classifies it
   */
  BufferedImage read(String path) throws ImageReadException {
    Path p = resolve(path);
    java.nio.file.Path shown = java.nio.file.Path.of(path);
    FileSystem fs;
    Path qualified;
    try {
      fs = p.getFileSystem(conf);
      qualified = fs.makeQualified(p);
    } catch (IOException | RuntimeException e) {
      throw new ImageReadException(
          shown, ImageReadException.Reason.UNREADABLE, "no file system for it: " + e, e);
    }
    URI uri = qualified.toUri();
    if ("file".equals(uri.getScheme())) {
      return ImageFiles.read(java.nio.file.Path.of(uri), minDecodedSide, maxPixels);
    }
    java.nio.file.Path local = null;
    try {
      if (!fs.exists(qualified)) {
        throw new ImageReadException(
            shown, ImageReadException.Reason.MISSING, "no such file", null);
      }
      local = Files.createTempFile("lit4j-image-", ".bin");
      try (InputStream in = fs.open(qualified)) {
        Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
      }
      return ImageFiles.read(local, minDecodedSide, maxPixels);
    } catch (ImageReadException e) {
      throw e;
    } catch (FileNotFoundException e) {
      throw new ImageReadException(shown, ImageReadException.Reason.MISSING, "no such file", e);
    } catch (IOException e) {
      throw new ImageReadException(
          shown, ImageReadException.Reason.UNREADABLE, String.valueOf(e.getMessage()), e);
    } finally {
      if (local != null) {
        try {
          Files.deleteIfExists(local);
        } catch (IOException ignored) {
          // A temporary file left behind is removed with the executor's temporary directory.
        }
      }
    }
  }
}
