package dev.lit4j.retrieval;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.math.Similarity;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Exact (brute-force) nearest-neighbour search by cosine similarity over a gallery of embeddings,
 * e.g. image embeddings searched by a text query or captions searched by an image.
 *
 * <p>Queries are processed in blocks of 64 rows against gallery blocks of 1024 rows, so memory
 * stays bounded by one block of similarities plus {@code k} candidates per query, whatever the
 * gallery and query counts. Results are sorted by descending score; equal scores are ordered by the
 * lower gallery index, so results are deterministic.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * RetrievalIndex index = RetrievalIndex.of(model.imageTower().embedAll(images));
 * List<Hit> hits = index.search(model.textTower().embed("a dog on a beach"), 5);
 * }</pre>
 */
public final class RetrievalIndex {
  static final int QUERY_BLOCK = 64;
  static final int GALLERY_BLOCK = 1024;

  private final EmbeddingMatrix gallery;

  private RetrievalIndex(EmbeddingMatrix gallery) {
    this.gallery = gallery;
  }

  /**
   * Builds an index over {@code gallery} ({@code [N, D]}, unit-norm rows); keeps a reference.
   *
   * @param gallery the items to search, unit-norm rows
   * @return the index
   */
  public static RetrievalIndex of(EmbeddingMatrix gallery) {
    return new RetrievalIndex(Objects.requireNonNull(gallery, "gallery"));
  }

  /** {@return the number of gallery items} */
  public int size() {
    return gallery.size();
  }

  /** {@return the embedding dimension} */
  public int dimension() {
    return gallery.dimension();
  }

  /**
   * {@return the {@code min(k, size())} gallery items most similar to {@code query}, best first}
   *
   * @param query a unit-norm embedding of the gallery's dimension
   * @param k how many hits to return at most
   * @throws IllegalArgumentException if {@code k < 1} or the query's dimension differs from the
   *     gallery's (both are named)
   */
  public List<Hit> search(Embedding query, int k) {
    Objects.requireNonNull(query, "query");
    return searchAll(EmbeddingMatrix.of(List.of(query)), k).get(0);
  }

  /**
   * Searches every row of {@code queries} ({@code [Q, D]}); element {@code q} of the result holds
   * the hits of row {@code q}, best first.
   *
   * @param queries unit-norm query embeddings, {@code [Q, D]}
   * @param k how many hits to return per query at most
   * @return {@code Q} lists of at most {@code k} hits each
   * @throws IllegalArgumentException if {@code k < 1} or the queries' dimension differs from the
   *     gallery's (both are named)
   */
  public List<List<Hit>> searchAll(EmbeddingMatrix queries, int k) {
    Objects.requireNonNull(queries, "queries");
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    if (queries.dimension() != gallery.dimension()) {
      throw new IllegalArgumentException(
          "query dimension "
              + queries.dimension()
              + " differs from the gallery dimension "
              + gallery.dimension()
              + "; embed queries with the tower paired with the gallery's");
    }
    int kept = Math.min(k, gallery.size());
    List<List<Hit>> out = new ArrayList<>(queries.size());
    FloatMatrix q = queries.matrix();
    FloatMatrix g = gallery.matrix();
    for (int q0 = 0; q0 < q.rows(); q0 += QUERY_BLOCK) {
      FloatMatrix queryBlock = q.rowRange(q0, Math.min(q.rows(), q0 + QUERY_BLOCK));
      TopK[] heaps = new TopK[queryBlock.rows()];
      for (int i = 0; i < heaps.length; i++) {
        heaps[i] = new TopK(kept);
      }
      for (int g0 = 0; g0 < g.rows(); g0 += GALLERY_BLOCK) {
        FloatMatrix galleryBlock = g.rowRange(g0, Math.min(g.rows(), g0 + GALLERY_BLOCK));
        float[] sims = Similarity.matrix(queryBlock, galleryBlock).toArray();
        int m = galleryBlock.rows();
        for (int i = 0; i < heaps.length; i++) {
          for (int j = 0; j < m; j++) {
            heaps[i].offer(sims[i * m + j], g0 + j);
          }
        }
      }
      for (TopK heap : heaps) {
        out.add(heap.drainBestFirst());
      }
    }
    return List.copyOf(out);
  }
}
