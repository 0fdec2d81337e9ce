package dev.lit4j.store;

import java.util.Objects;

/**
 * An image that could not be embedded: one line of {@code rejects.jsonl}.
 *
 * @param entry the manifest entry
 * @param reason the classification, e.g. {@code CORRUPT}
 * @param detail what went wrong, without the path
 */
record Reject(ManifestEntry entry, String reason, String detail) {
  Reject {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
  }
}
