package dev.lit4j.model;

import java.util.Objects;

/**
 * What a tower is, precisely enough that embeddings computed by one tower are never mistaken for
 * another's: a name, a checksum of its weights, and a description of its preprocessing.
 *
 * @param name a human-readable name, e.g. {@code "mobilenet_v2/block_13_expand_relu"}
 * @param checksum a hex digest of the weights (e.g. SHA-256) that changes whenever they do
 * @param preprocessing a canonical description of the input preprocessing
 */
public record TowerIdentity(String name, String checksum, String preprocessing) {
  /**
   * @param name a human-readable name, e.g. {@code "mobilenet_v2/block_13_expand_relu"}
   * @param checksum a hex digest of the weights (e.g. SHA-256) that changes whenever they do
   * @param preprocessing a canonical description of the input preprocessing
   * @throws IllegalArgumentException if {@code name} or {@code checksum} is blank
   */
  public TowerIdentity {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(checksum, "checksum");
    Objects.requireNonNull(preprocessing, "preprocessing");
    if (name.isBlank()) {
      throw new IllegalArgumentException("tower name must not be blank");
    }
    if (checksum.isBlank()) {
      throw new IllegalArgumentException("tower checksum must not be blank (name: " + name + ")");
    }
  }

  /**
   * {@return a one-line description for messages: {@code 'name' (checksum …, preprocessing '…')}}
   */
  public String describe() {
    return "'" + name + "' (checksum " + checksum + ", preprocessing '" + preprocessing + "')";
  }
}
