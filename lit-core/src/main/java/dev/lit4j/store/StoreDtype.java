package dev.lit4j.store;

/** The element type of the embeddings in an {@link EmbeddingStore}: little-endian IEEE 754. */
public enum StoreDtype {
  /** 32-bit floats, NumPy {@code '<f4'}: exact copies of the tower's float32 output. */
  FLOAT32("<f4", 4),
  /**
   * 16-bit floats, NumPy {@code '<f2'}: half the size; each value rounded to nearest-even, a
   * relative error of at most 2<sup>-11</sup> ≈ 4.9e-4 for unit-vector components above 6.1e-5.
   */
  FLOAT16("<f2", 2);

  private final String descr;
  private final int bytes;

  StoreDtype(String descr, int bytes) {
    this.descr = descr;
    this.bytes = bytes;
  }

  /** {@return the NumPy type string, {@code '<f4'} or {@code '<f2'}} */
  public String descr() {
    return descr;
  }

  /** {@return the size of one element in bytes} */
  public int bytes() {
    return bytes;
  }

  /**
   * Returns the dtype with the given NumPy type string.
   *
   * @throws IllegalArgumentException if it is neither {@code '<f4'} nor {@code '<f2'}
   */
  static StoreDtype fromDescr(String descr) {
    for (StoreDtype d : values()) {
      if (d.descr.equals(descr)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "unsupported dtype '" + descr + "'; expected '<f4' (float32) or '<f2' (float16)");
  }
}
