package dev.lit4j.examples;

import dev.lit4j.examples.data.CaptionedImage;
import dev.lit4j.examples.data.FashionMnist;
import dev.lit4j.examples.data.OpenClipart;
import dev.lit4j.examples.data.ShippedData;
import dev.lit4j.examples.data.TrainingCorpus;
import dev.lit4j.examples.data.TrainingRow;
import dev.lit4j.examples.data.TrainingSource;
import dev.lit4j.examples.data.TuxPaintStamps;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.pytorch.image.MobileNetV2Tower;
import dev.lit4j.pytorch.training.ImageCaptionPairs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The data of the paper comparison, read from Debian packages: training on Open Clip Art's PNGs
 * ({@code openclipart-png}), held out on the Tux Paint stamps ({@code tuxpaint-stamps-default}) and
 * Fashion-MNIST's test split ({@code dataset-fashion-mnist}).
 *
 * <p>Training images are the Open Clip Art rows of the shipped data ({@link ShippedData}) with
 * their shipped captions (title, and title with keywords, built by {@link OpenClipart} from the
 * package's SVG metadata when the data was prepared, so {@code openclipart-svg} is not needed
 * here), minus the near-duplicates of evaluation images listed in the shipped {@code
 * near-duplicates.txt} and minus the validation groups ({@link LitTuning#isValidation}); the pixels
 * are read from the installed PNGs.
 *
 * @param train the training images and captions
 * @param heldOut Tux Paint and Fashion-MNIST zero-shot sets and Tux Paint caption retrieval
 * @param validationImages training-source images left out as the validation split
 */
record ComparisonData(ImageCaptionPairs train, HeldOutImages heldOut, int validationImages) {

  /** Checks that nothing is null. */
  ComparisonData {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(heldOut, "heldOut");
  }

  /**
   * Reads the data from the Debian packages' default locations.
   *
   * @param fashionPerClass Fashion-MNIST test images per class
   * @param fashionImageDir where the Fashion-MNIST images are written as PNGs
   * @throws NoSuchFileException if a package's files are missing, naming the package to install
   * @throws IOException if a file cannot be read
   */
  static ComparisonData load(int fashionPerClass, Path fashionImageDir) throws IOException {
    return load(
        ShippedData.locate(),
        OpenClipart.DEBIAN_ROOT.resolve("png"),
        TuxPaintStamps.DEBIAN_ROOT,
        FashionMnist.DEBIAN_ROOT,
        fashionPerClass,
        fashionImageDir);
  }

  /**
   * Reads the data from the given locations.
   *
   * @throws NoSuchFileException if a package's files are missing, naming the package to install
   * @throws IOException if a file cannot be read
   */
  static ComparisonData load(
      ShippedData shipped,
      Path openClipartPng,
      Path tuxPaintRoot,
      Path fashionRoot,
      int fashionPerClass,
      Path fashionImageDir)
      throws IOException {
    if (!Files.isDirectory(openClipartPng)) {
      throw new NoSuchFileException(
          openClipartPng.toString(),
          null,
          "Open Clip Art PNGs not found; install them with: apt-get install openclipart-png");
    }
    TowerIdentity identity;
    try (MobileNetV2Tower tower = MobileNetV2Tower.load()) {
      identity = tower.identity();
    }
    TrainingCorpus all =
        shipped.trainingCorpus(
            identity, EnumSet.of(TrainingSource.OPENCLIPART), ShippedData.Views.EXCLUDED);
    TrainingCorpus kept = all.select(r -> !LitTuning.isValidation(r));
    List<Path> files = new ArrayList<>(kept.size());
    for (TrainingRow row : kept.rows()) {
      Path f = openClipartPng.resolve(row.id());
      if (!Files.isRegularFile(f)) {
        throw new NoSuchFileException(
            f.toString(),
            null,
            "training image '"
                + row.id()
                + "' of the shipped Open Clip Art captions is not installed; install or"
                + " reinstall: apt-get install openclipart-png");
      }
      files.add(f);
    }
    ImageCaptionPairs train = ImageCaptionPairs.ofFiles(files, kept.pairs().captions());
    List<CaptionedImage> stamps = TuxPaintStamps.read(tuxPaintRoot);
    return new ComparisonData(
        train,
        new HeldOutImages(
            List.of(
                tuxPaint(stamps),
                fashion(FashionMnist.read(fashionRoot, fashionPerClass, fashionImageDir))),
            Optional.of(tuxPaintCaptions(stamps))),
        all.size() - kept.size());
  }

  /** The stamps as a zero-shot set over their categories, sorted, spelled out as class names. */
  private static HeldOutImages.Labelled tuxPaint(List<CaptionedImage> stamps) {
    List<String> categories =
        new ArrayList<>(new TreeSet<>(stamps.stream().map(CaptionedImage::category).toList()));
    int[] truth = stamps.stream().mapToInt(s -> categories.indexOf(s.category())).toArray();
    return new HeldOutImages.Labelled(
        LitTuning.TUX_PAINT,
        stamps.stream().map(CaptionedImage::image).toList(),
        categories.stream().map(TuxPaintStamps::className).toList(),
        truth);
  }

  private static HeldOutImages.Captioned tuxPaintCaptions(List<CaptionedImage> stamps) {
    return new HeldOutImages.Captioned(
        LitTuning.TUX_PAINT,
        stamps.stream().map(CaptionedImage::image).toList(),
        stamps.stream().map(CaptionedImage::captions).toList());
  }

  private static HeldOutImages.Labelled fashion(List<CaptionedImage> images) {
    int[] truth =
        images.stream().mapToInt(i -> FashionMnist.CLASS_NAMES.indexOf(i.category())).toArray();
    return new HeldOutImages.Labelled(
        LitTuning.FASHION_MNIST,
        images.stream().map(CaptionedImage::image).toList(),
        FashionMnist.CLASS_NAMES,
        truth);
  }
}
