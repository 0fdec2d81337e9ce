package dev.lit4j.store;

import dev.lit4j.model.TowerIdentity;
import java.util.Objects;

/**
 * The contents of {@code store.json}.
 *
 * @param completed whether the builder finished; written {@code true} last
 * @param size N, the number of embedded rows (0 while incomplete)
 * @param dimension D
 * @param dtype the element type of {@code embeddings.npy}
 * @param tower the identity of the tower that computed the embeddings
 * @param manifestSha256 the SHA-256 of the manifest the store was built from
 * @param manifestEntries the number of images the manifest lists
 * @param rejected the number of images that could not be read (0 while incomplete)
 */
record StoreMetadata(
    boolean completed,
    long size,
    int dimension,
    StoreDtype dtype,
    TowerIdentity tower,
    String manifestSha256,
    long manifestEntries,
    long rejected) {
  StoreMetadata {
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(tower, "tower");
    Objects.requireNonNull(manifestSha256, "manifestSha256");
  }
}
