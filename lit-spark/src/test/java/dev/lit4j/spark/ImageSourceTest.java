package dev.lit4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lit4j.image.ImageFiles;
import dev.lit4j.image.ImageReadException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading images through a non-local Hadoop file system, and relative paths. */
class ImageSourceTest {
  @TempDir Path dir;

  private ImageSource source(String base) {
    Configuration conf = new Configuration(false);
    conf.set("fs.remote.impl", RemoteLikeFileSystem.class.getName());
    conf.set("fs.remote.impl.disable.cache", "true");
    return new ImageSource(conf, base, 448, ImageFiles.DEFAULT_MAX_PIXELS);
  }

  @Test
  void read_throughANonLocalFileSystem_decodesAsImageFilesDoes() throws IOException {
    SampleImages.manifest(dir);
    Path dog = dir.resolve("img/openclipart-dog.png").toAbsolutePath();
    BufferedImage remote = source(null).read("remote://" + dog);
    BufferedImage local = ImageFiles.read(dog, 448);
    assertEquals(local.getWidth(), remote.getWidth());
    assertEquals(local.getHeight(), remote.getHeight());
    assertEquals(local.getRGB(7, 9), remote.getRGB(7, 9));
  }

  @Test
  void read_throughANonLocalFileSystem_classifiesMissingAndCorruptFiles() throws IOException {
    SampleImages.manifest(dir);
    String base = "remote://" + dir.toAbsolutePath();
    ImageReadException missing =
        assertThrows(ImageReadException.class, () -> source(base).read("img/missing.png"));
    assertEquals(ImageReadException.Reason.MISSING, missing.reason());
    ImageReadException corrupt =
        assertThrows(ImageReadException.class, () -> source(base).read("img/corrupt.png"));
    assertEquals(ImageReadException.Reason.CORRUPT, corrupt.reason());
  }

  @Test
  void resolve_keepsUrisAndAbsolutePaths_andResolvesOthersAgainstTheBase() {
    ImageSource s = source("hdfs://nn/data");
    assertEquals("hdfs://nn/data/img/a.png", s.resolve("img/a.png").toString());
    assertEquals("/abs/a.png", s.resolve("/abs/a.png").toString());
    assertEquals("s3a://b/a.png", s.resolve("s3a://b/a.png").toString());
  }
}
