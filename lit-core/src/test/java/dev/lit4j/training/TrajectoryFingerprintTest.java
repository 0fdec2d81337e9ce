package dev.lit4j.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrajectoryFingerprintTest {
  private final TrainerConfig config = TrainerConfig.builder(Path.of("run")).seed(3).build();

  @Test
  void nullNamesOrValues_areRefusedNamingTheField() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("seed", null);
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> new TrajectoryFingerprint(m));
    assertTrue(e.getMessage().contains("seed"), e.getMessage());
  }

  @Test
  void sha256_isTheConfigurationsHash_andHashesNameValueLines() {
    TrajectoryFingerprint f = new TrajectoryFingerprint(config.trajectoryFingerprint());
    assertEquals(config.fingerprintHash(), f.sha256());
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("a", "1");
    ab.put("b", "x");
    // printf 'a=1\nb=x\n' | sha256sum
    assertEquals(
        "57ab3a440fe10ad7295fd74a5d5f364799c6a3d58fb8ee33590539901748e510",
        new TrajectoryFingerprint(ab).sha256());
  }

  @Test
  void plus_appendsFields_andRefusesOneAlreadySet() {
    TrajectoryFingerprint f =
        new TrajectoryFingerprint(config.trajectoryFingerprint())
            .plus(Map.of("image.resolution", "112"));
    assertEquals("112", f.fields().get("image.resolution"));
    assertNotEquals(config.fingerprintHash(), f.sha256());
    IllegalArgumentException again =
        assertThrows(IllegalArgumentException.class, () -> f.plus(Map.of("seed", "4")));
    assertTrue(again.getMessage().contains("seed is already set to 3"), again.getMessage());
  }

  @Test
  void differencesFrom_namesChangedAddedAndMissingFields() {
    Map<String, String> saved = new LinkedHashMap<>();
    saved.put("a", "1");
    saved.put("b", "2");
    Map<String, String> now = new LinkedHashMap<>();
    now.put("a", "1");
    now.put("b", "3");
    now.put("c", "4");
    assertEquals(
        List.of("b: checkpoint 2, now 3", "c: checkpoint null, now 4"),
        new TrajectoryFingerprint(now).differencesFrom(saved));
    assertEquals(
        List.of("b: checkpoint 3, now 2", "c: checkpoint 4, now absent"),
        new TrajectoryFingerprint(saved).differencesFrom(now));
    assertTrue(new TrajectoryFingerprint(now).differencesFrom(now).isEmpty());
  }
}
