package dev.lit4j.training;

import dev.lit4j.io.Checksums;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The values that determine a training run's trajectory, by name, as exact strings: what a
 * checkpoint records so that a resumed run can be refused when any of them changed. {@link
 * TrainerConfig#trajectoryFingerprint()} gives the optimiser's and loss's; a trainer that has more
 * (the image tower's settings of a raw-image run) adds its own with {@link #plus}.
 *
 * @param fields the values by name, in a stable order; copied, unmodifiable
 */
public record TrajectoryFingerprint(Map<String, String> fields) {
  /**
   * @param fields the values by name; copied in iteration order
   * @throws NullPointerException if a name or value is null
   */
  public TrajectoryFingerprint {
    Map<String, String> copy = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : Objects.requireNonNull(fields, "fields").entrySet()) {
      copy.put(
          Objects.requireNonNull(e.getKey(), "field name"),
          Objects.requireNonNull(e.getValue(), () -> "value of field " + e.getKey()));
    }
    fields = Collections.unmodifiableMap(copy);
  }

  /**
   * {@return this fingerprint followed by {@code more}}
   *
   * @param more further values by name
   * @throws IllegalArgumentException if a name of {@code more} is already a field (named)
   */
  public TrajectoryFingerprint plus(Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(fields);
    for (Map.Entry<String, String> e : more.entrySet()) {
      if (all.containsKey(e.getKey())) {
        throw new IllegalArgumentException(
            "fingerprint field " + e.getKey() + " is already set to " + all.get(e.getKey()));
      }
      all.put(e.getKey(), e.getValue());
    }
    return new TrajectoryFingerprint(all);
  }

  /** {@return the SHA-256 (hex) of the fields as {@code name=value} lines, in order} */
  public String sha256() {
    MessageDigest sha = Checksums.newSha256();
    for (Map.Entry<String, String> e : fields.entrySet()) {
      sha.update((e.getKey() + "=" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return Checksums.toHex(sha);
  }

  /**
   * Lists the fields whose value differs from {@code saved} (a fingerprint stored with a
   * checkpoint), as {@code "name: checkpoint saved, now this"}, and the saved fields this one lacks
   * as {@code "name: checkpoint saved, now absent"}; empty when they agree.
   *
   * @param saved the stored fields
   * @return one line per differing field
   */
  public List<String> differencesFrom(Map<String, String> saved) {
    Objects.requireNonNull(saved, "saved");
    List<String> diffs = new ArrayList<>();
    for (Map.Entry<String, String> e : fields.entrySet()) {
      String theirs = saved.get(e.getKey());
      if (!e.getValue().equals(theirs)) {
        diffs.add(e.getKey() + ": checkpoint " + theirs + ", now " + e.getValue());
      }
    }
    for (String k : saved.keySet()) {
      if (!fields.containsKey(k)) {
        diffs.add(k + ": checkpoint " + saved.get(k) + ", now absent");
      }
    }
    return diffs;
  }
}
