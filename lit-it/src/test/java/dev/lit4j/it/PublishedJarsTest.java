package dev.lit4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the published jars hold, read from the jars this build packaged (or their class directories
 * when the build stopped before {@code package}): the licence files, and none of the repository's
 * GPL-2 Tux Paint data (NOTICE) nor any other file of the shipped data sets.
 */
class PublishedJarsTest {
  /** The published artifacts: each module's jar, and lit-core's test jar. */
  private static final Set<String> PUBLISHED =
      Set.of(
          "lit-core",
          "lit-core-tests",
          "lit-models",
          "lit-plot",
          "lit-pytorch",
          "lit-minilm",
          "lit-default-model",
          "lit-spark");

  /** Files of lit-examples/data: captions, manifests, embedding stores. */
  private static final Pattern DATA_FILE =
      Pattern.compile(".*(\\.jsonl|\\.npy|manifest\\.csv|near-duplicates\\.txt)$");

  /** Text resources are searched for Tux Paint's stamp ids; class files and weights are not. */
  private static final Pattern TEXT_FILE =
      Pattern.compile(".*\\.(json|md|txt|properties|csv|index)$|.*/[A-Z]+$|.*/services/.*");

  private static Map<String, Path> published;

  @BeforeAll
  static void findPublishedArtifacts() {
    published = new LinkedHashMap<>();
    Pattern jar = Pattern.compile("(lit-[a-z-]+)-[0-9][^/]*?(-tests)?\\.jar");
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      String name = path.getFileName().toString();
      Matcher m = jar.matcher(name);
      if (m.matches()) {
        published.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), path);
      } else if (Files.isDirectory(path) && path.endsWith(Path.of("target", "classes"))) {
        published.put(path.getParent().getParent().getFileName().toString(), path);
      } else if (Files.isDirectory(path) && path.endsWith(Path.of("target", "test-classes"))) {
        published.put(path.getParent().getParent().getFileName() + "-tests", path);
      }
    }
    published.keySet().retainAll(PUBLISHED);
  }

  @Test
  void everyPublishedArtifact_isOnTheClassPath() {
    assertEquals(PUBLISHED, published.keySet(), "class path: " + published);
  }

  @Test
  void everyPublishedArtifact_carriesLicenseAndNotice() {
    for (Map.Entry<String, Path> e : published.entrySet()) {
      List<String> names = entries(e.getValue());
      assertTrue(names.contains("META-INF/LICENSE"), e.getKey() + " lacks META-INF/LICENSE");
      assertTrue(names.contains("META-INF/NOTICE"), e.getKey() + " lacks META-INF/NOTICE");
    }
  }

  @Test
  void noPublishedArtifact_holdsAFileOfTheShippedDataSets() {
    for (Map.Entry<String, Path> e : published.entrySet()) {
      for (String name : entries(e.getValue())) {
        assertFalse(DATA_FILE.matcher(name).matches(), e.getKey() + " holds " + name);
        assertFalse(
            name.toLowerCase(Locale.ROOT).contains("tuxpaint"), e.getKey() + " holds " + name);
      }
    }
  }

  /**
   * The ids of the 538 Tux Paint stamps (e.g. {@code animals/amphibians/frog-1.png}) appear in
   * every file derived from them; the licence text would accompany any GPL file.
   */
  @Test
  void noPublishedTextResource_mentionsATuxPaintStampOrTheGpl() throws IOException {
    Path captions =
        Path.of(System.getProperty("lit4j.repository.root"), "lit-examples", "data", "tuxpaint")
            .resolve("captions.jsonl");
    List<String> stampIds = new ArrayList<>();
    Matcher id = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(Files.readString(captions));
    while (id.find()) {
      stampIds.add(id.group(1));
    }
    assertEquals(538, stampIds.size(), "stamp ids read from " + captions);

    for (Map.Entry<String, Path> e : published.entrySet()) {
      for (String name : entries(e.getValue())) {
        // NOTICE names the GPL data in order to say that it is not published.
        if (!TEXT_FILE.matcher(name).matches() || name.equals("META-INF/NOTICE")) {
          continue;
        }
        String text = new String(read(e.getValue(), name), StandardCharsets.UTF_8);
        assertFalse(
            text.contains("GNU GENERAL PUBLIC LICENSE") || text.contains("GNU General Public"),
            e.getKey() + ":" + name + " holds GPL text");
        for (String stamp : stampIds) {
          assertFalse(text.contains(stamp), e.getKey() + ":" + name + " names stamp " + stamp);
        }
      }
    }
  }

  private static List<String> entries(Path artifact) {
    try {
      if (Files.isDirectory(artifact)) {
        try (Stream<Path> files = Files.walk(artifact)) {
          return files
              .filter(Files::isRegularFile)
              .map(p -> artifact.relativize(p).toString().replace(File.separatorChar, '/'))
              .toList();
        }
      }
      try (ZipFile zip = new ZipFile(artifact.toFile())) {
        return zip.stream().filter(z -> !z.isDirectory()).map(ZipEntry::getName).toList();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(Path artifact, String name) throws IOException {
    if (Files.isDirectory(artifact)) {
      return Files.readAllBytes(artifact.resolve(name));
    }
    try (ZipFile zip = new ZipFile(artifact.toFile());
        InputStream in = zip.getInputStream(zip.getEntry(name))) {
      return in.readAllBytes();
    }
  }
}
