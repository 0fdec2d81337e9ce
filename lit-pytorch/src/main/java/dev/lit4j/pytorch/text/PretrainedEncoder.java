package dev.lit4j.pytorch.text;

import dev.lit4j.pytorch.weights.FloatTensor;
import java.io.IOException;
import java.util.Map;

/**
 * A pre-trained text encoder whose weights ship in a Maven artifact (for example all-MiniLM-L6-v2
 * in {@code lit-minilm}), found through {@link java.util.ServiceLoader}.
 *
 * <p>A {@link TransformerTextTower} built on one remembers it. When the tower is saved and its
 * encoder weights are still the pre-trained ones (only the projection was trained, {@link
 * dev.lit4j.training.TextTraining#PROJECTION}), the model directory stores the projection and a
 * reference to the encoder ({@link #id()}, {@link #artifact()} and a SHA-256 of the weights)
 * instead of a copy of its weights: a MiniLM-based model is then a few megabytes rather than 90,
 * and loading it reads the encoder from the artifact, refusing weights whose digest differs.
 *
 * <p>Implementations must be thread-safe and have a public no-argument constructor.
 */
public interface PretrainedEncoder {

  /** {@return the stable id saved in model directories, e.g. {@code all-MiniLM-L6-v2}} */
  String id();

  /** {@return the Maven coordinates ({@code groupId:artifactId}) that provide it} */
  String artifact();

  /**
   * {@return the encoder's weights under the tower's BERT parameter names, without the projection}
   *
   * @throws IOException if the artifact's resources are missing or unreadable
   */
  Map<String, FloatTensor> encoderWeights() throws IOException;
}
