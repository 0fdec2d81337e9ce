package dev.lit4j.examples;

import dev.lit4j.minilm.AllMiniLmL6V2;
import dev.lit4j.pytorch.image.TrainableMobileNetV2;
import dev.lit4j.pytorch.image.TrainableMobileNetV2.Init;
import dev.lit4j.pytorch.text.TextTokenizer;
import dev.lit4j.pytorch.text.TextTowerConfig;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.pytorch.training.ImageTraining;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One arm of the LiT paper's image × text tower comparison (Zhai et al. 2022, §4.2, Table 1 and
 * Fig. 3): how the image tower starts and whether it trains, how the text tower starts (it always
 * trains fully), and the resolution images are squashed to.
 *
 * <p>The arm's {@link #code()} is the paper's two letters, image first: {@code L} locked
 * pre-trained, {@code U} unlocked pre-trained, {@code u} unlocked from scratch (random init). For
 * the text tower, {@code U} is all-MiniLM-L6-v2's weights and {@code u} the same architecture and
 * tokenizer from a random init. {@code LU} is LiT.
 *
 * <p>Immutable and thread-safe.
 *
 * @param image the image tower's start and training
 * @param text the text tower's start
 * @param resolution the side in pixels images are squashed to, at least {@value
 *     TrainableMobileNetV2#MIN_RESOLUTION}
 */
public record Arm(ImageSetting image, TextSetting text, int resolution) {

  /** The locked tower's own resolution, used by the {@link #reference(ImageSetting)} arm. */
  public static final int FULL_RESOLUTION = 224;

  /** How the image tower starts and whether it trains. */
  public enum ImageSetting {
    /** Pre-trained ImageNet MobileNetV2, locked: LiT's {@code L}. */
    LOCKED('L', Init.PRETRAINED, ImageTraining.LOCKED),
    /** Pre-trained ImageNet MobileNetV2, trained: the paper's {@code U}. */
    UNLOCKED('U', Init.PRETRAINED, ImageTraining.UNLOCKED),
    /** MobileNetV2 from a seeded random init, trained: the paper's {@code u}. */
    SCRATCH('u', Init.RANDOM, ImageTraining.UNLOCKED);

    private final char letter;
    private final Init init;
    private final ImageTraining training;

    ImageSetting(char letter, Init init, ImageTraining training) {
      this.letter = letter;
      this.init = init;
      this.training = training;
    }

    /** {@return the tower's initialisation} */
    public Init init() {
      return init;
    }

    /** {@return whether the tower trains} */
    public ImageTraining training() {
      return training;
    }
  }

  /** How the text tower starts; it always trains fully ({@code TextTraining.FULL}). */
  public enum TextSetting {
    /** all-MiniLM-L6-v2's encoder with a fresh projection: the paper's {@code U}. */
    MINILM('U'),
    /**
     * MiniLM's architecture ({@link AllMiniLmL6V2#configBuilder(int)}: 6 layers, width 384, 12
     * heads, FFN 1536, 512 positions, mean pooling) and WordPiece tokenizer, every weight from
     * {@link TransformerTextTower#create}'s seeded random init: the paper's {@code u}.
     */
    SCRATCH('u');

    private final char letter;

    TextSetting(char letter) {
      this.letter = letter;
    }

    /**
     * Makes this setting's tower.
     *
     * @param dimension the image tower's embedding dimension
     * @param seed seeds the projection (MiniLM) or every weight (scratch)
     * @return the tower; the caller closes it
     * @throws IOException if MiniLM's weights or tokenizer cannot be read from the class path
     */
    public TransformerTextTower create(int dimension, long seed) throws IOException {
      TextTowerConfig config = AllMiniLmL6V2.configBuilder(dimension).seed(seed).build();
      if (this == MINILM) {
        return AllMiniLmL6V2.loadTower(config);
      }
      TextTokenizer tokenizer;
      try (InputStream in = AllMiniLmL6V2.openTokenizerJson()) {
        tokenizer = TextTokenizer.load(in, config.maxLength());
      }
      return TransformerTextTower.create(config, tokenizer);
    }
  }

  /**
   * Validates the arm.
   *
   * @throws IllegalArgumentException if the resolution is below the minimum (named)
   */
  public Arm {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(text, "text");
    TrainableMobileNetV2.preprocessing(resolution);
  }

  /**
   * {@return the six arms of the comparison at {@code resolution}: image {locked, unlocked,
   * scratch} × text {MiniLM, scratch}, in that order}
   *
   * @param resolution the side in pixels images are squashed to
   */
  public static List<Arm> grid(int resolution) {
    List<Arm> out = new ArrayList<>();
    for (ImageSetting i : ImageSetting.values()) {
      for (TextSetting t : TextSetting.values()) {
        out.add(new Arm(i, t, resolution));
      }
    }
    return List.copyOf(out);
  }

  /**
   * {@return the reference arm: {@code image} with the MiniLM text tower at the locked tower's own
   * {@value #FULL_RESOLUTION} px}
   *
   * @param image the image setting, {@link ImageSetting#LOCKED} for LiT at full resolution
   */
  public static Arm reference(ImageSetting image) {
    return new Arm(image, TextSetting.MINILM, FULL_RESOLUTION);
  }

  /**
   * Parses an arm from its code, as {@link #code()} writes it, at {@code resolution}, or at the
   * resolution after an {@code @}: {@code "UU"}, {@code "LU@224"}.
   *
   * @param spec the code, optionally followed by {@code @} and a resolution in pixels
   * @param resolution the resolution when {@code spec} names none
   * @return the arm
   * @throws IllegalArgumentException if the code is not one of the six or the resolution is not a
   *     number of pixels (the value and the valid codes are named)
   */
  public static Arm parse(String spec, int resolution) {
    Objects.requireNonNull(spec, "spec");
    String[] parts = spec.strip().split("@", -1);
    int px = resolution;
    if (parts.length > 2) {
      throw new IllegalArgumentException("arm '" + spec + "' has more than one '@'");
    }
    if (parts.length == 2) {
      try {
        px = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "arm '" + spec + "': '" + parts[1] + "' is not a resolution in pixels, e.g. LU@224", e);
      }
    }
    for (Arm arm : grid(px)) {
      if (arm.code().equals(parts[0])) {
        return arm;
      }
    }
    throw new IllegalArgumentException(
        "unknown arm '"
            + parts[0]
            + "', expected one of "
            + grid(px).stream().map(Arm::code).toList()
            + " (image letter then text letter: L locked, U unlocked/pre-trained, u from scratch;"
            + " case matters)");
  }

  /** {@return the paper's two letters, image then text, e.g. {@code "LU"} for LiT} */
  public String code() {
    return "" + image.letter + text.letter;
  }

  /** {@return e.g. {@code "LU 112px (image locked, text MiniLM)"}} */
  public String describe() {
    return code()
        + " "
        + resolution
        + "px (image "
        + image.name().toLowerCase(java.util.Locale.ROOT)
        + ", text "
        + (text == TextSetting.MINILM ? "MiniLM" : "scratch")
        + ")";
  }
}
