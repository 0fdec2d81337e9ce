package dev.lit4j.examples.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Reads a class-balanced subset of the Fashion-MNIST test split (Xiao, Rasul and Vollgraf 2017;
 * Debian {@code dataset-fashion-mnist}, MIT): 28 × 28 grey images of clothing, light on black, in
 * 10 classes. The first {@code perClass} images of each class in file order are taken, written as
 * 8-bit grey PNGs (the image tower converts them to RGB and upscales them), and labelled with
 * {@link #CLASS_NAMES}.
 *
 * <p>Thread-safe: stateless.
 */
public final class FashionMnist {

  /** Where Debian installs the IDX files. */
  public static final Path DEBIAN_ROOT = Path.of("/usr/share/datasets/fashion-mnist");

  /** The test split's images. */
  public static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";

  /** The test split's labels. */
  public static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";

  /**
   * Label text per class index, spelled as natural English from the data set's README ({@code
   * T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot}).
   */
  public static final List<String> CLASS_NAMES =
      List.of(
          "t-shirt",
          "trousers",
          "pullover",
          "dress",
          "coat",
          "sandal",
          "shirt",
          "sneaker",
          "bag",
          "ankle boot");

  private FashionMnist() {}

  /**
   * Reads the first {@code perClass} test images of each class, writes them as PNGs under {@code
   * imageDir} and returns them in test-split order, with ids {@code t10k/<index>.png}.
   *
   * @throws IllegalArgumentException if {@code perClass < 1} or a class has fewer images
   * @throws NoSuchFileException if the IDX files are missing, with the package to install
   * @throws IOException if a file cannot be read or written
   */
  public static List<CaptionedImage> read(Path root, int perClass, Path imageDir)
      throws IOException {
    if (perClass < 1) {
      throw new IllegalArgumentException("perClass must be at least 1, got " + perClass);
    }
    Path imagesFile = root.resolve(TEST_IMAGES);
    Path labelsFile = root.resolve(TEST_LABELS);
    if (!Files.isRegularFile(imagesFile) || !Files.isRegularFile(labelsFile)) {
      throw new NoSuchFileException(
          imagesFile.toString(),
          null,
          "Fashion-MNIST not found; install it with: apt-get install dataset-fashion-mnist");
    }
    IdxFile images = IdxFile.read(imagesFile);
    IdxFile labels = IdxFile.read(labelsFile);
    int[] shape = images.shape();
    if (shape.length != 3 || labels.shape().length != 1 || labels.count() != images.count()) {
      throw new IOException(
          "expected images [N, H, W] and labels [N] in "
              + root
              + ", got "
              + java.util.Arrays.toString(shape)
              + " and "
              + java.util.Arrays.toString(labels.shape()));
    }
    int[] taken = new int[CLASS_NAMES.size()];
    Files.createDirectories(imageDir.resolve("t10k"));
    List<CaptionedImage> out = new ArrayList<>();
    for (int i = 0; i < images.count(); i++) {
      int label = labels.get(i);
      if (label >= CLASS_NAMES.size()) {
        throw new IOException(labelsFile + ": label " + label + " at " + i + " is not 0..9");
      }
      if (taken[label] == perClass) {
        continue;
      }
      taken[label]++;
      String id = "t10k/%05d.png".formatted(i);
      Path png = imageDir.resolve(id);
      ImageIO.write(toImage(images.item(i), shape[1], shape[2]), "png", png.toFile());
      String name = CLASS_NAMES.get(label);
      out.add(new CaptionedImage(id, png, name, id, List.of(name)));
    }
    for (int c = 0; c < taken.length; c++) {
      if (taken[c] < perClass) {
        throw new IllegalArgumentException(
            "class '"
                + CLASS_NAMES.get(c)
                + "' has only "
                + taken[c]
                + " images, asked for "
                + perClass);
      }
    }
    return out;
  }

  static BufferedImage toImage(int[] pixels, int height, int width) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setPixels(0, 0, width, height, pixels);
    return img;
  }
}
