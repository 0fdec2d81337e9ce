package dev.lit4j.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An image file could not be read. The message names the file and the reason; {@link #reason()}
 * classifies the failure so that callers (such as the embedding store builder) can record it.
 */
public final class ImageReadException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why an image file could not be read. */
  public enum Reason {
    /** The path does not exist. */
    MISSING,
    /** The path exists but is not a readable regular file (a directory, or no permission). */
    UNREADABLE,
    /** The file is empty or its content is not in any format an installed reader recognises. */
    UNKNOWN_FORMAT,
    /**
     * The format was recognised but the data is truncated or corrupt: the decoder reported bad data
     * (an I/O error, or a warning that pixel data is missing), or the header declares an impossible
     * size.
     */
    CORRUPT,
    /**
     * The header is valid but declares more pixels ({@code width × height}) than the configured
     * limit, so the image was not decoded: decoding costs time in proportion to the declared pixels
     * even with subsampling, and a small file can declare billions of them (a "decompression
     * bomb"). The detail names the size, the limit and how to raise it.
     */
    TOO_LARGE,
    /**
     * The header was read, but the decoder then failed with an unexpected exception (not an I/O
     * error): the data may be corrupt in a way the decoder does not check for, or the file may be
     * valid and the decoder unable to handle it (for example a full-size raster over 2 GiB). The
     * detail names the decoder's exception and message. Unlike {@link #CORRUPT}, this does not say
     * the file is broken.
     */
    DECODER_FAILED
  }

  private final transient Path path;

  /** Why the file could not be read. */
  private final Reason reason;

  /** What went wrong, without the path. */
  private final String detail;

  /**
   * Creates an exception for {@code path}.
   *
   * @param path the file that could not be read
   * @param reason the classification
   * @param detail what went wrong, without the path (it is prepended)
   * @param cause the underlying exception, or {@code null}
   */
  public ImageReadException(Path path, Reason reason, String detail, Throwable cause) {
    super(
        "cannot read image "
            + Objects.requireNonNull(path, "path")
            + ": "
            + Objects.requireNonNull(reason, "reason")
            + ": "
            + Objects.requireNonNull(detail, "detail"),
        cause);
    this.path = path;
    this.reason = reason;
    this.detail = detail;
  }

  /** {@return the file that could not be read} */
  public Path path() {
    return path;
  }

  /** {@return why it could not be read} */
  public Reason reason() {
    return reason;
  }

  /** {@return what went wrong, without the path, e.g. {@code "no such file"}} */
  public String detail() {
    return detail;
  }
}
