package dev.lit4j.bench.endtoend;

import java.util.Objects;

/**
 * One line of the report table.
 *
 * @param workload what was run
 * @param setting its size parameters
 * @param samples the measured values
 * @param unit the values' unit
 * @param note how the value was obtained (warm-up, what is timed), or an empty string
 */
record Row(String workload, String setting, Samples samples, String unit, String note) {
  Row {
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(setting, "setting");
    Objects.requireNonNull(samples, "samples");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(note, "note");
  }

  String markdown() {
    return "| "
        + workload
        + " | "
        + setting
        + " | "
        + Samples.format(samples.median())
        + " "
        + unit
        + " | "
        + samples.spread()
        + " | "
        + samples.count()
        + " | "
        + note
        + " |";
  }
}
