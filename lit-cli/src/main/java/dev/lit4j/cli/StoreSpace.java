package dev.lit4j.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.model.ImageTower;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.model.WhitenedImageTower;
import dev.lit4j.store.EmbeddingStore;
import dev.lit4j.training.PairedEmbeddings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Brings an embedding store into a model's image space. A store built with the model's own image
 * tower is used as it is; a store built with the locked tower <em>inside</em> a model's {@link
 * WhitenedImageTower} (such as the plain MobileNetV2 stores that ship in {@code lit-examples/data},
 * under the default model) is whitened with the same arithmetic the tower applies to images. Any
 * other store is refused with the fix.
 *
 * <p>Which tower built a store is read from its {@code store.json} ({@code completed} and {@code
 * tower}, documented in {@link dev.lit4j.store}) before the store is opened, so that the right
 * identity can be passed to {@link EmbeddingStore#open}.
 */
final class StoreSpace {
  private StoreSpace() {}

  /**
   * What {@code store.json} says.
   *
   * @param completed whether the build finished
   * @param tower the tower that computed the embeddings
   */
  record Info(boolean completed, TowerIdentity tower) {}

  /**
   * How a store's embeddings become the model's image tower's.
   *
   * @param storeTower the tower that built the store, to open it with
   * @param whitening the model's whitened tower when the store holds its inner tower's embeddings
   */
  record Match(TowerIdentity storeTower, Optional<WhitenedImageTower> whitening) {
    /** Returns {@code images} in the model's image space. */
    EmbeddingMatrix toModelSpace(EmbeddingMatrix images) {
      return whitening.map(w -> w.whiten(images)).orElse(images);
    }

    /** Returns {@code pairs} in the model's image space, with the model tower's identity. */
    PairedEmbeddings toModelSpace(PairedEmbeddings pairs) {
      return whitening.map(pairs::whitened).orElse(pairs);
    }
  }

  /**
   * The ids and embeddings of a store, in the model's image space.
   *
   * @param ids row {@code i}'s id
   * @param images {@code [N, D]}, unit rows
   * @param match how they were brought into the model's space
   */
  record Opened(List<String> ids, EmbeddingMatrix images, Match match) {}

  /**
   * Reads {@code store.json}; empty if the directory holds none.
   *
   * @throws IOException if it cannot be read or is malformed
   */
  static Optional<Info> info(Path store) throws IOException {
    Path file = store.resolve("store.json");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonObject o =
          JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
      JsonObject t = o.getAsJsonObject("tower");
      return Optional.of(
          new Info(
              o.get("completed").getAsBoolean(),
              new TowerIdentity(
                  t.get("name").getAsString(),
                  t.get("checksum").getAsString(),
                  t.get("preprocessing").getAsString())));
    } catch (RuntimeException e) {
      throw new IOException(file + " is malformed (" + e.getMessage() + "); rebuild the store", e);
    }
  }

  /**
   * Finds how the complete store in {@code store} maps into {@code tower}'s space.
   *
   * @throws CliException if it is no store, is incomplete, or was built by another tower (both are
   *     named, with the fix)
   * @throws IOException if {@code store.json} cannot be read
   */
  static Match match(Path store, ImageTower tower) throws IOException {
    Info info =
        info(store)
            .orElseThrow(
                () ->
                    new CliException(
                        store
                            + " (--store) is not an embedding store: it has no store.json; build"
                            + " one with lit embed IMAGES --out "
                            + store));
    if (!info.completed()) {
      throw new CliException(
          "the embedding store in "
              + store
              + " is incomplete (its build was interrupted); run lit embed again with the same"
              + " images and --out "
              + store
              + " to finish it");
    }
    if (info.tower().equals(tower.identity())) {
      return new Match(info.tower(), Optional.empty());
    }
    if (tower instanceof WhitenedImageTower w && info.tower().equals(w.innerIdentity())) {
      return new Match(info.tower(), Optional.of(w));
    }
    throw new CliException(
        "the embedding store in "
            + store
            + " was built with image tower "
            + describe(info.tower())
            + ", but the model's image tower is "
            + describe(tower.identity())
            + (tower instanceof WhitenedImageTower w
                ? " (inside it: " + describe(w.innerIdentity()) + ")"
                : "")
            + "; rebuild the store with lit embed and the same --model, or pass the --model whose"
            + " image tower built it");
  }

  /**
   * Opens the store and returns its ids and embeddings in {@code tower}'s space.
   *
   * @throws CliException as {@link #match}
   * @throws IOException if the store cannot be read
   */
  static Opened open(Path store, ImageTower tower) throws IOException {
    Match match = match(store, tower);
    try (EmbeddingStore s = EmbeddingStore.open(store, match.storeTower())) {
      return new Opened(List.copyOf(s.ids()), match.toModelSpace(s.all()), match);
    }
  }

  /** Names a tower in messages: its name and the start of its checksum. */
  static String describe(TowerIdentity t) {
    String checksum = t.checksum();
    return "'"
        + t.name()
        + "' (checksum "
        + checksum.substring(0, Math.min(19, checksum.length()))
        + "…)";
  }
}
