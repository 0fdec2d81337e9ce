package dev.lit4j.examples.data;

/**
 * A collection of captioned training images shipped in {@code lit-examples/data/<folder>}, with the
 * licence of its images ({@code SOURCE.md} in each folder gives package, version and counts).
 */
public enum TrainingSource {
  /** Open Clip Art Library drawings (Debian {@code openclipart-png}, public domain). */
  OPENCLIPART("openclipart", "public domain"),
  /** Noto Emoji from npm {@code emoji-datasource-google} (Apache-2.0). */
  EMOJI_GOOGLE("emoji-google", "Apache-2.0"),
  /** Twemoji from npm {@code emoji-datasource-twitter} (CC BY 4.0). */
  EMOJI_TWITTER("emoji-twitter", "CC-BY-4.0"),
  /** OpenMoji 17 from npm {@code openmoji} (CC BY-SA 4.0). */
  OPENMOJI("openmoji", "CC-BY-SA-4.0"),
  /** Fluent Emoji 3D from npm {@code @lobehub/fluent-emoji-3d} (MIT). */
  FLUENT_EMOJI_3D("fluent-emoji-3d", "MIT");

  private final String folder;
  private final String licence;

  TrainingSource(String folder, String licence) {
    this.folder = folder;
    this.licence = licence;
  }

  /** The source's folder under the data directory, e.g. {@code "emoji-google"}. */
  public String folder() {
    return folder;
  }

  /** The licence of the source's images (SPDX identifier where one exists). */
  public String licence() {
    return licence;
  }

  /**
   * Returns the source whose folder is {@code folder}.
   *
   * @throws IllegalArgumentException if there is none, naming the valid folders
   */
  public static TrainingSource ofFolder(String folder) {
    for (TrainingSource s : values()) {
      if (s.folder.equals(folder)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown training source '"
            + folder
            + "', expected one of "
            + java.util.Arrays.stream(values()).map(TrainingSource::folder).toList());
  }
}
