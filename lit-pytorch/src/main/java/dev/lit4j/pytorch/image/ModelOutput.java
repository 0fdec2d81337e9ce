package dev.lit4j.pytorch.image;

import java.util.Objects;

/**
 * Which output of a TorchScript model's {@code forward} is the image feature.
 *
 * <p>DJL flattens a returned tuple or list (nested ones depth-first) into a list of tensors and
 * names the tensors of a returned {@code Dict[str, Tensor]} by their keys; {@link ByIndex} indexes
 * that list and {@link ByKey} looks a name up. Immutable.
 */
public sealed interface ModelOutput {

  /** The model returns one tensor, which is used. */
  record Only() implements ModelOutput {
    @Override
    public String describe() {
      return "only";
    }
  }

  /**
   * Output {@code index} of a returned tuple or list.
   *
   * @param index zero-based position, at least 0
   */
  record ByIndex(int index) implements ModelOutput {
    /**
     * @param index zero-based position, at least 0
     * @throws IllegalArgumentException if {@code index} is negative
     */
    public ByIndex {
      if (index < 0) {
        throw new IllegalArgumentException("output index must be at least 0, got " + index);
      }
    }

    @Override
    public String describe() {
      return "index:" + index;
    }
  }

  /**
   * The tensor stored under {@code key} in a returned {@code Dict[str, Tensor]}.
   *
   * @param key the dictionary key, not blank
   */
  record ByKey(String key) implements ModelOutput {
    /**
     * @param key the dictionary key, not blank
     * @throws IllegalArgumentException if {@code key} is blank
     */
    public ByKey {
      Objects.requireNonNull(key, "key");
      if (key.isBlank()) {
        throw new IllegalArgumentException("output key must not be blank");
      }
    }

    @Override
    public String describe() {
      return "key:" + key;
    }
  }

  /** {@return a canonical description, e.g. {@code "index:1"}, readable by {@link #parse}} */
  String describe();

  /**
   * Selects the model's single output.
   *
   * @return the selection
   */
  static ModelOutput only() {
    return new Only();
  }

  /**
   * Selects output {@code index} of a returned tuple or list.
   *
   * @param index the position in the tuple or list, from 0
   * @return the selection
   * @throws IllegalArgumentException if {@code index} is negative
   */
  static ModelOutput index(int index) {
    return new ByIndex(index);
  }

  /**
   * Selects the tensor under {@code key} of a returned dictionary.
   *
   * @param key the dictionary key
   * @return the selection
   * @throws IllegalArgumentException if {@code key} is blank
   */
  static ModelOutput key(String key) {
    return new ByKey(key);
  }

  /**
   * Reads a description written by {@link #describe()}.
   *
   * @param text a description
   * @return the selection
   * @throws IllegalArgumentException if {@code text} is not {@code only}, {@code index:<n>} or
   *     {@code key:<name>}
   */
  static ModelOutput parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.equals("only")) {
      return only();
    }
    if (text.startsWith("index:")) {
      try {
        return index(Integer.parseInt(text.substring(6)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad output index in '" + text + "'", e);
      }
    }
    if (text.startsWith("key:")) {
      return key(text.substring(4));
    }
    throw new IllegalArgumentException(
        "unknown output selection '" + text + "'; expected only, index:<n> or key:<name>");
  }
}
