package dev.lit4j.model;

import dev.lit4j.spi.ImageTowerFormat;
import dev.lit4j.spi.TextTowerFormat;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The {@link ImageTowerFormat} and {@link TextTowerFormat} providers on the class path, by id. */
final class TowerFormats {
  private final Map<String, ImageTowerFormat> images;
  private final Map<String, TextTowerFormat> texts;

  private TowerFormats(Map<String, ImageTowerFormat> images, Map<String, TextTowerFormat> texts) {
    this.images = images;
    this.texts = texts;
  }

  /**
   * Discovers providers with {@link ServiceLoader} (thread context class loader). When two
   * providers claim one id, the first found wins.
   */
  static TowerFormats fromServiceLoader() {
    return of(
        ServiceLoader.load(ImageTowerFormat.class), ServiceLoader.load(TextTowerFormat.class));
  }

  /** Returns the given providers, by id; the first of several with one id wins. */
  static TowerFormats of(
      Iterable<ImageTowerFormat> imageFormats, Iterable<TextTowerFormat> textFormats) {
    Map<String, ImageTowerFormat> images = new TreeMap<>();
    for (ImageTowerFormat f : imageFormats) {
      images.putIfAbsent(f.formatId(), f);
    }
    Map<String, TextTowerFormat> texts = new TreeMap<>();
    for (TextTowerFormat f : textFormats) {
      texts.putIfAbsent(f.formatId(), f);
    }
    return new TowerFormats(images, texts);
  }

  /**
   * Returns the image tower provider of {@code formatId}.
   *
   * @throws IllegalArgumentException naming the id and the known ids if there is none
   */
  ImageTowerFormat image(String formatId) {
    ImageTowerFormat f = images.get(formatId);
    if (f == null) {
      throw unknown(
          "image", formatId, images.keySet(), texts.containsKey(formatId) ? "text" : null);
    }
    return f;
  }

  /**
   * Returns the text tower provider of {@code formatId}.
   *
   * @throws IllegalArgumentException naming the id and the known ids if there is none
   */
  TextTowerFormat text(String formatId) {
    TextTowerFormat f = texts.get(formatId);
    if (f == null) {
      throw unknown(
          "text", formatId, texts.keySet(), images.containsKey(formatId) ? "image" : null);
    }
    return f;
  }

  private static IllegalArgumentException unknown(
      String kind, String formatId, java.util.Set<String> known, String otherKind) {
    if (otherKind != null) {
      return new IllegalArgumentException(
          "tower format '"
              + formatId
              + "' holds "
              + otherKind
              + " towers, not "
              + kind
              + " towers; check which tower lit-model.json names it for (known "
              + kind
              + " tower formats: "
              + known
              + ")");
    }
    return new IllegalArgumentException(
        "no "
            + kind
            + " tower format '"
            + formatId
            + "' on the class path (known: "
            + known
            + "); add the backend module that provides it, e.g. dev.lit4j:lit-pytorch, as a"
            + " dependency");
  }
}
