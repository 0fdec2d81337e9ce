package dev.lit4j.store;

import dev.lit4j.model.TowerIdentity;
import java.util.Objects;

/**
 * The contents of {@code progress.json}: how far a build has durably got. Everything it counts was
 * flushed to disk before the record was written, so a resumed build truncates the partial files to
 * these lengths and continues with manifest entry {@code entriesDone}.
 *
 * @param manifestSha256 the manifest being built from
 * @param tower the tower computing the embeddings
 * @param dtype the element type being written
 * @param dimension D
 * @param entriesDone manifest entries handled (embedded or rejected)
 * @param rowsWritten rows written to {@code embeddings.npy.partial}
 * @param indexBytes committed length of {@code index.jsonl.partial}
 * @param rejectsBytes committed length of {@code rejects.jsonl}
 */
record BuildProgress(
    String manifestSha256,
    TowerIdentity tower,
    StoreDtype dtype,
    int dimension,
    long entriesDone,
    long rowsWritten,
    long indexBytes,
    long rejectsBytes) {
  BuildProgress {
    Objects.requireNonNull(manifestSha256, "manifestSha256");
    Objects.requireNonNull(tower, "tower");
    Objects.requireNonNull(dtype, "dtype");
  }

  /** Returns this progress advanced by one committed batch. */
  BuildProgress advance(long entries, long rows, long indexAdded, long rejectsAdded) {
    return new BuildProgress(
        manifestSha256,
        tower,
        dtype,
        dimension,
        entriesDone + entries,
        rowsWritten + rows,
        indexBytes + indexAdded,
        rejectsBytes + rejectsAdded);
  }
}
