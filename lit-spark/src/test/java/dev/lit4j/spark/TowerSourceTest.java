package dev.lit4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TowerSourceTest {
  @Test
  void parse_readsWhatToStringWrites() {
    for (TowerSource s :
        new TowerSource[] {
          TowerSource.mobileNetV2(),
          TowerSource.defaultModel(),
          TowerSource.modelDirectory(Path.of("/models/lit")),
          TowerSource.factory(ColourTowerFactory.class)
        }) {
      assertEquals(s, TowerSource.parse(s.toString()));
    }
  }

  @Test
  void parse_withAnUnknownSpec_listsTheForms() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TowerSource.parse("resnet"));
    assertTrue(e.getMessage().contains("'resnet'"), e.getMessage());
    assertTrue(e.getMessage().contains("model:<directory>"), e.getMessage());
  }

  @Test
  void serialisedSource_equalsTheOriginal_soExecutorsShareOneTowerPerSource()
      throws IOException, ClassNotFoundException {
    TowerSource s = TowerSource.factory(ColourTowerFactory.class);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(s);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      Object copy = in.readObject();
      assertEquals(s, copy);
      assertEquals(s.hashCode(), copy.hashCode());
    }
  }

  @Test
  void factory_withAClassThatIsNoFactory_throwsNamingIt() {
    TowerSource s = TowerSource.parse("factory:java.lang.Object");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ExecutorTowers.get(s));
    assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
  }
}
