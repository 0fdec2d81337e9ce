package dev.lit4j.pytorch.text;

import dev.lit4j.pytorch.weights.FloatTensor;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The pre-trained encoder a tower was built on: its id, the artifact providing it and the SHA-256
 * of its weights (sorted by name; the projection excluded).
 */
record EncoderBase(String id, String artifact, String digest) {
  EncoderBase {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(artifact, "artifact");
    Objects.requireNonNull(digest, "digest");
  }

  /** Digests {@code weights} without the projection, in name order. */
  static String digestOf(Map<String, FloatTensor> weights) {
    Map<String, FloatTensor> sorted = new TreeMap<>(weights);
    TextEncoderBlock.PROJECTION.forEach(sorted::remove);
    return WeightDigest.of(sorted);
  }

  /** Describes {@code encoder}, whose weights are {@code weights}. */
  static EncoderBase of(PretrainedEncoder encoder, Map<String, FloatTensor> weights) {
    return new EncoderBase(encoder.id(), encoder.artifact(), digestOf(weights));
  }

  /**
   * Finds the encoder on the class path and returns its weights, checked against the digest.
   *
   * @throws IOException if no provider of the id is on the class path (the artifact to add is
   *     named), or its weights differ from the ones the tower was saved with
   */
  Map<String, FloatTensor> resolve() throws IOException {
    for (PretrainedEncoder e : ServiceLoader.load(PretrainedEncoder.class)) {
      if (e.id().equals(id)) {
        Map<String, FloatTensor> weights = e.encoderWeights();
        String actual = digestOf(weights);
        if (!actual.equals(digest)) {
          throw new IOException(
              "the pre-trained encoder '"
                  + id
                  + "' on the class path has weights with SHA-256 "
                  + actual
                  + " but the tower was trained on "
                  + digest
                  + "; use the "
                  + artifact
                  + " version the model was trained with");
        }
        return weights;
      }
    }
    throw new IOException(
        "the text tower builds on the pre-trained encoder '"
            + id
            + "', which is not on the class path; add the dependency "
            + artifact);
  }
}
