package dev.lit4j.model;

import dev.lit4j.io.Checksums;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The binding of a saved model ({@code "binding"} in {@code lit-model.json}): a SHA-256 over
 * everything that makes the two towers a pair, namely both towers' identities (name, checksum,
 * preprocessing), the embedding dimension and the learned calibration. The text tower was trained
 * against the features of one particular image tower, and the image tower's identity covers what
 * determines those features (weights, feature layer, pooling, preprocessing); the binding ties the
 * two together.
 *
 * <p>{@link ModelDirectory#save} writes it; {@link ModelDirectory#load} recomputes it from the
 * towers it actually loaded and refuses the model if the two differ. Each tower directory records
 * its own tower (e.g. {@code mobilenet-v2.json} names the feature layer) and {@code lit-model.json}
 * records both identities; without the binding, an edit made consistently in both (say {@code
 * block_13_expand_relu} changed to {@code block_12_expand_relu}, both 576-d) would load a text
 * tower next to image features it was never trained on. With it, such an edit also requires
 * recomputing a SHA-256, which does not happen by accident.
 *
 * <p>This guards against mistakes, not malice: the hash is not keyed, so whoever edits the files on
 * purpose can recompute it (or delete the field, which makes the directory load like one saved
 * before the field existed).
 *
 * <p>Canonical form hashed, in order: the tag {@value #DOMAIN}; the dimension as a 4-byte
 * big-endian integer; the loss kind's name; temperature and bias as 8-byte IEEE-754 doubles (with
 * {@code -0.0} taken as {@code 0.0}); then name, checksum and preprocessing of the image tower and
 * of the text tower. Each string is UTF-8, preceded by its byte length as a 4-byte big-endian
 * integer, so no two different inputs share a hashed form.
 *
 * <p>Stateless and thread-safe.
 */
final class ModelBinding {
  /** The prefix of every binding value; the rest is 64 lower-case hexadecimal digits. */
  static final String PREFIX = "sha256:";

  /** The domain tag hashed first, so this hash is never mistaken for another of the same data. */
  static final String DOMAIN = "lit4j-model-binding-v1";

  private static final Pattern FORM = Pattern.compile("sha256:[0-9a-f]{64}");

  private ModelBinding() {}

  /** Returns the binding of a model with these parts, {@code "sha256:<64 hex digits>"}. */
  static String of(
      int dimension, ScoreCalibration calibration, TowerIdentity image, TowerIdentity text) {
    Objects.requireNonNull(calibration, "calibration");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(text, "text");
    MessageDigest sha = Checksums.newSha256();
    string(sha, DOMAIN);
    sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(dimension).array());
    string(sha, calibration.loss().name());
    // + 0.0 turns -0.0 into 0.0: the two are the same calibration.
    sha.update(
        ByteBuffer.allocate(2 * Double.BYTES)
            .putDouble(calibration.temperature() + 0.0)
            .putDouble(calibration.bias() + 0.0)
            .array());
    for (TowerIdentity id : new TowerIdentity[] {image, text}) {
      string(sha, id.name());
      string(sha, id.checksum());
      string(sha, id.preprocessing());
    }
    return PREFIX + Checksums.toHex(sha);
  }

  /** Whether {@code value} has the form {@link #of} returns. */
  static boolean isWellFormed(String value) {
    return FORM.matcher(value).matches();
  }

  private static void string(MessageDigest sha, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
    sha.update(bytes);
  }
}
