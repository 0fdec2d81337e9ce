package dev.lit4j.image;

/**
 * The range 8-bit sRGB samples are mapped to before mean and standard deviation are applied. The
 * {@link ImagePreprocessing} mean and std are given in the same units.
 */
public enum ValueRange {
  /** {@code v / 255}, so samples lie in {@code [0, 1]}. */
  UNIT(1.0 / 255.0),
  /** {@code v}, so samples lie in {@code [0, 255]}. */
  BYTE(1.0);

  private final double scale;

  ValueRange(double scale) {
    this.scale = scale;
  }

  /** {@return the factor that maps an 8-bit sample to this range} */
  public double scale() {
    return scale;
  }
}
