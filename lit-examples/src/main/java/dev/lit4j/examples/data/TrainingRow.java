package dev.lit4j.examples.data;

import java.util.Objects;

/**
 * What is known about one row of a {@link TrainingCorpus} besides its embedding and captions.
 *
 * @param source the collection the image comes from
 * @param id the image's id in its source; an augmented view's is {@code <baseId>#v<k>}
 * @param group the concept the image depicts, shared by every style and view of it: split training
 *     and validation by group so that no concept is on both sides
 * @param category a coarse class, usable as a zero-shot label (e.g. {@code "animal mammal"}; for
 *     Open Clip Art the top folder, e.g. {@code "animals"})
 */
public record TrainingRow(TrainingSource source, String id, String group, String category) {
  /** Checks that no field is null. */
  public TrainingRow {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(category, "category");
  }

  /** Whether this row is an augmented view rather than the image as published. */
  public boolean isView() {
    return !baseId().equals(id);
  }

  /** The id of the image this row was made from (its own id unless it is a view). */
  public String baseId() {
    return AugmentedViews.baseId(id);
  }
}
