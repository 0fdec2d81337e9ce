package dev.lit4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * SHA-256 checksums as 64 lower-case hexadecimal characters, the form the library records for model
 * files, weights, manifests and configurations.
 *
 * <pre>{@code
 * String expected = Checksums.sha256Hex(modelFile);
 * }</pre>
 *
 * <p>Thread-safety: the static methods are safe to call concurrently; a {@link MessageDigest} from
 * {@link #newSha256()} belongs to its caller and is not thread-safe.
 */
public final class Checksums {
  private static final int BUFFER_BYTES = 1 << 16;

  private Checksums() {}

  /**
   * {@return a new SHA-256 digest, for checksums built from several parts; finish it with {@link
   * #toHex(MessageDigest)}}
   */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /**
   * Completes {@code digest} and returns its value in lower-case hexadecimal; the digest is reset.
   *
   * @param digest the digest to complete
   * @return the digest, 64 lower-case hexadecimal digits for SHA-256
   * @throws NullPointerException if {@code digest} is null
   */
  public static String toHex(MessageDigest digest) {
    Objects.requireNonNull(digest, "digest");
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * {@return the SHA-256 of {@code bytes} in lower-case hexadecimal}
   *
   * @param bytes the data
   * @throws NullPointerException if {@code bytes} is null
   */
  public static String sha256Hex(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    MessageDigest digest = newSha256();
    digest.update(bytes);
    return toHex(digest);
  }

  /**
   * {@return the SHA-256 of the content of {@code file} in lower-case hexadecimal, reading it in
   * blocks (the file is never held in memory whole)}
   *
   * @param file the file to read
   * @throws IOException if the file cannot be read
   * @throws NullPointerException if {@code file} is null
   */
  public static String sha256Hex(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    MessageDigest digest = newSha256();
    byte[] buffer = new byte[BUFFER_BYTES];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
    return toHex(digest);
  }
}
