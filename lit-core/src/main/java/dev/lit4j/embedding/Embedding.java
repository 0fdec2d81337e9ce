package dev.lit4j.embedding;

import java.util.Arrays;
import java.util.Objects;

/**
 * One L2-normalised embedding vector (float32).
 *
 * <p>Instances are immutable and thread-safe. {@link #of(float...)} normalises its input to unit
 * norm; the stored values therefore satisfy {@code |v| = 1} up to float32 rounding.
 */
public final class Embedding {
  private final float[] values;

  private Embedding(float[] normalised) {
    this.values = normalised;
  }

  /**
   * Builds an embedding by L2-normalising {@code raw}.
   *
   * @param raw the unnormalised vector; copied, not retained
   * @return the unit-norm embedding
   * @throws IllegalArgumentException if {@code raw} is empty, holds NaN or infinity (the index is
   *     named), or has zero norm
   */
  public static Embedding of(float... raw) {
    Objects.requireNonNull(raw, "raw");
    return new Embedding(normalisedCopy(raw, 0, raw.length, "embedding"));
  }

  static float[] normalisedCopy(float[] src, int offset, int length, String what) {
    if (length == 0) {
      throw new IllegalArgumentException(what + " has dimension 0; expected at least 1 value");
    }
    double sumSq = 0;
    for (int i = 0; i < length; i++) {
      float v = src[offset + i];
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException(
            what + " value at index " + i + " is " + v + "; embeddings must be finite");
      }
      sumSq += (double) v * v;
    }
    if (sumSq == 0) {
      throw new IllegalArgumentException(
          what + " is the zero vector; it has no direction and cannot be normalised");
    }
    double inv = 1.0 / Math.sqrt(sumSq);
    float[] out = new float[length];
    for (int i = 0; i < length; i++) {
      out[i] = (float) (src[offset + i] * inv);
    }
    return out;
  }

  /** {@return the number of components} */
  public int dimension() {
    return values.length;
  }

  /**
   * {@return component {@code i}}
   *
   * @param i the component index, in {@code [0, dimension())}
   * @throws IndexOutOfBoundsException if {@code i} is outside {@code [0, dimension())}
   */
  public float get(int i) {
    return values[i];
  }

  /** {@return a copy of the components} */
  public float[] toArray() {
    return values.clone();
  }

  /**
   * {@return the cosine similarity with {@code other}, which for unit vectors is the dot product,
   * accumulated in float64}
   *
   * @param other an embedding of the same dimension
   * @throws IllegalArgumentException if the dimensions differ
   */
  public double cosine(Embedding other) {
    Objects.requireNonNull(other, "other");
    if (other.values.length != values.length) {
      throw new IllegalArgumentException(
          "embedding dimensions differ: " + values.length + " vs " + other.values.length);
    }
    double dot = 0;
    for (int i = 0; i < values.length; i++) {
      dot += (double) values[i] * other.values[i];
    }
    return dot;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Embedding e && Arrays.equals(values, e.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    int shown = Math.min(4, values.length);
    StringBuilder sb = new StringBuilder("Embedding[dim=").append(values.length).append(", ");
    sb.append(Arrays.toString(Arrays.copyOf(values, shown)));
    if (shown < values.length) {
      sb.setLength(sb.length() - 1);
      sb.append(", …]");
    }
    return sb.append(']').toString();
  }
}
