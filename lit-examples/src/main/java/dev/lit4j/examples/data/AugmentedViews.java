package dev.lit4j.examples.data;

import dev.lit4j.image.ImageFiles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * Augmented views of training images, rendered once so that the locked tower embeds each once (LiT,
 * Zhai et al. 2022, §3: with a locked image tower, augmentation must be pre-computed).
 *
 * <p>View {@code k} of an image is drawn from a random stream seeded by the build seed, the image's
 * id and {@code k} only, so a view is the same in every run and on every machine, and adding views
 * ({@code K} → {@code K + 1}) keeps the earlier ones. Each view
 *
 * <ol>
 *   <li>crops a random box of 70–100 % of the image's area (aspect ratio 3:4 to 4:3),
 *   <li>mirrors it left–right with probability ½, and
 *   <li>renders it in one {@link Look}: the looks cycle from a random start, so an image's first
 *       four views all look different.
 * </ol>
 *
 * <p>Ids are {@code <baseId>#v<k>}; captions, category and group are the base image's. Views of
 * large images are at most {@value #MAX_SIDE} px on their longer side (the tower resizes to 224
 * anyway). Thread-safe: stateless.
 */
public final class AugmentedViews {

  /** Longest side of a written view, in pixels. */
  public static final int MAX_SIDE = 448;

  /** Side of a {@link Look#WHITE_ON_BLACK} view, as in Fashion-MNIST. */
  public static final int SMALL_SIDE = 28;

  /** How a view is coloured. */
  public enum Look {
    /** Transparency composited on white, colours kept. */
    WHITE_BACKGROUND,
    /** Transparency composited on a random light or dark colour. */
    COLOUR_BACKGROUND,
    /** Composited on white, then grey. */
    GREYSCALE,
    /**
     * A light grey object on black at {@value #SMALL_SIDE} × {@value #SMALL_SIDE} px, like
     * Fashion-MNIST: transparent images keep their shapes' alpha as the mask, opaque ones are
     * inverted (white paper becomes black).
     */
    WHITE_ON_BLACK
  }

  /**
   * The random choices of one view, in fractions of the image.
   *
   * @param x left edge of the crop, {@code [0, 1 - width]}
   * @param y top edge of the crop
   * @param width crop width as a fraction of the image width
   * @param height crop height as a fraction of the image height
   * @param mirrored whether the crop is mirrored left–right
   * @param look how the view is coloured
   * @param background the background colour (RGB) for {@link Look#COLOUR_BACKGROUND}
   */
  public record Spec(
      double x,
      double y,
      double width,
      double height,
      boolean mirrored,
      Look look,
      int background) {}

  private AugmentedViews() {}

  /**
   * Returns the random choices of view {@code k} of image {@code baseId}.
   *
   * @throws IllegalArgumentException if {@code k < 0}
   */
  public static Spec spec(String baseId, int k, long seed) {
    Objects.requireNonNull(baseId, "baseId");
    if (k < 0) {
      throw new IllegalArgumentException("view index must be >= 0, got " + k);
    }
    int start = new SplittableRandom(mix(seed, baseId, -1)).nextInt(Look.values().length);
    SplittableRandom r = new SplittableRandom(mix(seed, baseId, k));
    double area = 0.70 + 0.30 * r.nextDouble();
    double logRatio = Math.log(3.0 / 4.0) + r.nextDouble() * Math.log(16.0 / 9.0);
    double ratio = Math.exp(logRatio);
    double w = Math.min(1.0, Math.sqrt(area * ratio));
    double h = Math.min(1.0, Math.sqrt(area / ratio));
    double x = r.nextDouble() * (1 - w);
    double y = r.nextDouble() * (1 - h);
    boolean mirrored = r.nextBoolean();
    Look look = Look.values()[(start + k) % Look.values().length];
    float hue = (float) r.nextDouble();
    float saturation = (float) (0.15 + 0.5 * r.nextDouble());
    float brightness =
        r.nextBoolean()
            ? (float) (0.80 + 0.2 * r.nextDouble())
            : (float) (0.08 + 0.25 * r.nextDouble());
    int background = Color.HSBtoRGB(hue, saturation, brightness) & 0xFFFFFF;
    return new Spec(x, y, w, h, mirrored, look, background);
  }

  /** Renders one view of {@code image} (any type; alpha is honoured). */
  public static BufferedImage render(BufferedImage image, Spec spec) {
    int w = image.getWidth();
    int h = image.getHeight();
    int cx = (int) Math.floor(spec.x() * w);
    int cy = (int) Math.floor(spec.y() * h);
    int cw = Math.max(1, Math.min(w - cx, (int) Math.round(spec.width() * w)));
    int ch = Math.max(1, Math.min(h - cy, (int) Math.round(spec.height() * h)));
    double scale = Math.min(1.0, (double) MAX_SIDE / Math.max(cw, ch));
    int ow = Math.max(1, (int) Math.round(cw * scale));
    int oh = Math.max(1, (int) Math.round(ch * scale));
    BufferedImage argb = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = argb.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      int dx1 = spec.mirrored() ? ow : 0;
      int dx2 = spec.mirrored() ? 0 : ow;
      g.drawImage(image, dx1, 0, dx2, oh, cx, cy, cx + cw, cy + ch, null);
    } finally {
      g.dispose();
    }
    return switch (spec.look()) {
      case WHITE_BACKGROUND -> onColour(argb, 0xFFFFFF);
      case COLOUR_BACKGROUND -> onColour(argb, spec.background());
      case GREYSCALE -> grey(onColour(argb, 0xFFFFFF));
      case WHITE_ON_BLACK -> whiteOnBlack(argb, image.getColorModel().hasAlpha());
    };
  }

  /**
   * Writes views {@code 0..k-1} of every image as PNGs under {@code dir} (views already written are
   * kept: they are deterministic) and returns them, image by image.
   *
   * @throws IllegalArgumentException if {@code k < 0}
   * @throws IOException if an image cannot be read or a view cannot be written
   */
  public static List<CaptionedImage> write(List<CaptionedImage> images, int k, long seed, Path dir)
      throws IOException {
    if (k < 0) {
      throw new IllegalArgumentException("views per image must be >= 0, got " + k);
    }
    Files.createDirectories(dir);
    List<List<CaptionedImage>> perImage;
    try {
      perImage =
          IntStream.range(0, images.size())
              .parallel()
              .mapToObj(i -> writeViews(images.get(i), i, k, seed, dir))
              .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    List<CaptionedImage> out = new ArrayList<>();
    perImage.forEach(out::addAll);
    return out;
  }

  /** Returns the id of view {@code k} of {@code baseId}. */
  public static String viewId(String baseId, int k) {
    return baseId + "#v" + k;
  }

  /** Returns the base image's id of a view id, or the id itself if it is not a view's. */
  public static String baseId(String id) {
    int hash = id.lastIndexOf("#v");
    return hash < 0 ? id : id.substring(0, hash);
  }

  private static List<CaptionedImage> writeViews(
      CaptionedImage base, int index, int k, long seed, Path dir) {
    List<CaptionedImage> out = new ArrayList<>(k);
    BufferedImage image = null;
    try {
      for (int v = 0; v < k; v++) {
        Path file = dir.resolve("%05d-v%d.png".formatted(index, v));
        if (!Files.isRegularFile(file)) {
          if (image == null) {
            image = ImageFiles.read(base.image(), 2 * MAX_SIDE);
          }
          Path tmp = dir.resolve(file.getFileName() + ".tmp");
          if (!ImageIO.write(render(image, spec(base.id(), v, seed)), "png", tmp.toFile())) {
            throw new IOException("no PNG writer for view " + v + " of " + base.id());
          }
          Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        out.add(
            new CaptionedImage(
                viewId(base.id(), v), file, base.category(), base.group(), base.captions()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static BufferedImage onColour(BufferedImage argb, int rgb) {
    BufferedImage out =
        new BufferedImage(argb.getWidth(), argb.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(new Color(rgb));
      g.fillRect(0, 0, out.getWidth(), out.getHeight());
      g.drawImage(argb, 0, 0, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static BufferedImage grey(BufferedImage rgb) {
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    int[] px = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        px[y * w + x] = luma(rgb.getRGB(x, y));
      }
    }
    out.getRaster().setPixels(0, 0, w, h, px);
    return out;
  }

  private static BufferedImage whiteOnBlack(BufferedImage argb, boolean transparent) {
    int w = argb.getWidth();
    int h = argb.getHeight();
    int[] v = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = argb.getRGB(x, y);
        int alpha = p >>> 24;
        int l = luma(p);
        // Transparent art: the shape is the mask, lifted so that dark shapes stay visible on black.
        // Opaque art (white paper): invert, as the paper must become the black background.
        v[y * w + x] =
            transparent
                ? (alpha * (90 + 165 * l / 255) + 127) / 255
                : 255 - l * alpha / 255 - (255 - alpha);
      }
    }
    // Fit inside SMALL_SIDE × SMALL_SIDE on black, keeping the aspect ratio; area averaging as the
    // Fashion-MNIST images were downsampled.
    double scale = (double) SMALL_SIDE / Math.max(w, h);
    int sw = Math.max(1, (int) Math.round(w * scale));
    int sh = Math.max(1, (int) Math.round(h * scale));
    double[] small = areaResize(areaResize(toDouble(v), w, h, sw, true), sw, h, sh, false);
    int[] px = new int[SMALL_SIDE * SMALL_SIDE];
    int ox = (SMALL_SIDE - sw) / 2;
    int oy = (SMALL_SIDE - sh) / 2;
    for (int y = 0; y < sh; y++) {
      for (int x = 0; x < sw; x++) {
        px[(oy + y) * SMALL_SIDE + ox + x] =
            (int) Math.max(0, Math.min(255, Math.round(small[y * sw + x])));
      }
    }
    BufferedImage out = new BufferedImage(SMALL_SIDE, SMALL_SIDE, BufferedImage.TYPE_BYTE_GRAY);
    out.getRaster().setPixels(0, 0, SMALL_SIDE, SMALL_SIDE, px);
    return out;
  }

  private static double[] toDouble(int[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  /**
   * Resizes a {@code w × h} grey image along one axis to {@code n} samples, each the mean of the
   * source interval it covers (fractional pixels weighted by their overlap); when enlarging, this
   * is nearest-neighbour.
   */
  static double[] areaResize(double[] src, int w, int h, int n, boolean horizontal) {
    int len = horizontal ? w : h;
    int lines = horizontal ? h : w;
    double step = (double) len / n;
    double[] out = new double[horizontal ? n * h : w * n];
    for (int line = 0; line < lines; line++) {
      for (int i = 0; i < n; i++) {
        double from = i * step;
        double to = from + step;
        double sum = 0;
        for (int s = (int) Math.floor(from); s < Math.min(len, (int) Math.ceil(to)); s++) {
          double weight = Math.min(to, s + 1) - Math.max(from, s);
          sum += weight * (horizontal ? src[line * w + s] : src[s * w + line]);
        }
        if (horizontal) {
          out[line * n + i] = sum / step;
        } else {
          out[i * w + line] = sum / step;
        }
      }
    }
    return out;
  }

  private static int luma(int rgb) {
    int r = (rgb >> 16) & 0xFF;
    int g = (rgb >> 8) & 0xFF;
    int b = rgb & 0xFF;
    return (299 * r + 587 * g + 114 * b + 500) / 1000;
  }

  private static long mix(long seed, String id, int k) {
    long h = seed * 0x9E3779B97F4A7C15L + id.hashCode();
    h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + k;
    return h ^ (h >>> 29);
  }
}
