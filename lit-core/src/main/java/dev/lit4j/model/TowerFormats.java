package dev.lit4j.model;

import dev.lit4j.spi.TowerFormat;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The {@link TowerFormat} providers on the class path, by format id. */
final class TowerFormats {
  private final Map<String, TowerFormat> byId;

  private TowerFormats(Map<String, TowerFormat> byId) {
    this.byId = byId;
  }

  /**
   * Discovers providers with {@link ServiceLoader} (thread context class loader). When two
   * providers claim one id, the first found wins.
   */
  static TowerFormats fromServiceLoader() {
    return of(ServiceLoader.load(TowerFormat.class));
  }

  /** Returns the given providers, by id; the first of several with one id wins. */
  static TowerFormats of(Iterable<TowerFormat> formats) {
    Map<String, TowerFormat> byId = new TreeMap<>();
    for (TowerFormat f : formats) {
      byId.putIfAbsent(f.formatId(), f);
    }
    return new TowerFormats(byId);
  }

  /**
   * Returns the provider of {@code formatId}.
   *
   * @throws IllegalArgumentException naming the id and the known ids if there is none
   */
  TowerFormat find(String formatId) {
    TowerFormat f = byId.get(formatId);
    if (f == null) {
      throw new IllegalArgumentException(
          "no tower format '"
              + formatId
              + "' on the class path (known: "
              + byId.keySet()
              + "); add the backend module that provides it, e.g. dev.lit4j:lit-pytorch, as a"
              + " dependency");
    }
    return f;
  }
}
