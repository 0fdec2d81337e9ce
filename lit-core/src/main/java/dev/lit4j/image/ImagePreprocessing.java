package dev.lit4j.image;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a decoded image becomes the input tensor of an image tower: colour conversion, resize rule,
 * value range, per-channel normalisation, channel order and layout.
 *
 * <p>{@link #apply(BufferedImage)} performs, in order:
 *
 * <ol>
 *   <li>Conversion to 8-bit sRGB by drawing onto a {@code TYPE_INT_RGB} image filled with white:
 *       alpha (straight or premultiplied) is composited on white, and grey, palette (indexed),
 *       16-bit and CMYK images go through their colour model's conversion to sRGB.
 *   <li>Resizing per {@link ResizeRule} with the area-averaging + bilinear resampler described in
 *       {@link Resampling} (deterministic pure Java).
 *   <li>{@code x = (v · range.scale() − mean[c]) / std[c]} for each channel {@code c} in the RGB
 *       order; mean and std are in the units of the {@link ValueRange}.
 *   <li>Channel reordering ({@link ChannelOrder}) and layout ({@link TensorLayout}).
 * </ol>
 *
 * <p>Immutable and thread-safe.
 *
 * @param inputSize the side of the square tensor, in pixels (1 to 4096)
 * @param resizeRule how the image is brought to {@code inputSize × inputSize}
 * @param cropFraction for {@link ResizeRule#RESIZE_SHORT_SIDE_THEN_CENTER_CROP}, the part of the
 *     resized shorter side kept by the centre crop, in {@code (0, 1]} (0.875 for big_vision's
 *     {@code _square875}); must be 1 for {@link ResizeRule#RESIZE_SQUARE}
 * @param valueRange the range 8-bit samples are mapped to before normalisation
 * @param mean the per-channel mean to subtract, three values in R, G, B order
 * @param std the per-channel standard deviation to divide by, three positive values in R, G, B
 *     order
 * @param channelOrder the channel order of the tensor
 * @param layout the axis order of the tensor
 */
public record ImagePreprocessing(
    int inputSize,
    ResizeRule resizeRule,
    double cropFraction,
    ValueRange valueRange,
    List<Double> mean,
    List<Double> std,
    ChannelOrder channelOrder,
    TensorLayout layout) {

  /** The largest accepted {@link #inputSize()}. */
  public static final int MAX_INPUT_SIZE = 4096;

  private static final int CHANNELS = 3;

  /**
   * Validates and copies the components.
   *
   * @param inputSize the side of the square tensor, in pixels (1 to 4096)
   * @param resizeRule how the image is brought to {@code inputSize × inputSize}
   * @param cropFraction for {@link ResizeRule#RESIZE_SHORT_SIDE_THEN_CENTER_CROP}, the part of the
   *     resized shorter side kept by the centre crop, in {@code (0, 1]} (0.875 for big_vision's
   *     {@code _square875}); must be 1 for {@link ResizeRule#RESIZE_SQUARE}
   * @param valueRange the range 8-bit samples are mapped to before normalisation
   * @param mean the per-channel mean to subtract, three values in R, G, B order
   * @param std the per-channel standard deviation to divide by, three positive values in R, G, B
   *     order
   * @param channelOrder the channel order of the tensor
   * @param layout the axis order of the tensor
   * @throws IllegalArgumentException if a value is out of range (named in the message)
   */
  public ImagePreprocessing {
    Objects.requireNonNull(resizeRule, "resizeRule");
    Objects.requireNonNull(valueRange, "valueRange");
    Objects.requireNonNull(channelOrder, "channelOrder");
    Objects.requireNonNull(layout, "layout");
    if (inputSize < 1 || inputSize > MAX_INPUT_SIZE) {
      throw new IllegalArgumentException(
          "inputSize must be in [1, " + MAX_INPUT_SIZE + "], got " + inputSize);
    }
    if (!(cropFraction > 0 && cropFraction <= 1)) {
      throw new IllegalArgumentException(
          "cropFraction must be in (0, 1] (0.875 for big_vision's _square875), got "
              + cropFraction);
    }
    if (resizeRule == ResizeRule.RESIZE_SQUARE && cropFraction != 1) {
      throw new IllegalArgumentException(
          "RESIZE_SQUARE does not crop, so cropFraction must be 1, got "
              + cropFraction
              + "; use RESIZE_SHORT_SIDE_THEN_CENTER_CROP to crop");
    }
    mean = checkedChannels(mean, "mean", false);
    std = checkedChannels(std, "std", true);
  }

  private static List<Double> checkedChannels(List<Double> values, String name, boolean positive) {
    Objects.requireNonNull(values, name);
    if (values.size() != CHANNELS) {
      throw new IllegalArgumentException(
          name + " needs one value per channel (R, G, B), got " + values.size() + ": " + values);
    }
    for (int c = 0; c < CHANNELS; c++) {
      Double v = Objects.requireNonNull(values.get(c), name + "[" + c + "]");
      if (!Double.isFinite(v) || (positive && v <= 0)) {
        throw new IllegalArgumentException(
            name
                + "["
                + c
                + "] is "
                + v
                + "; it must be finite"
                + (positive ? " and positive" : ""));
      }
    }
    return List.copyOf(values);
  }

  /**
   * {@return {@code inputSize × inputSize} squash resizing ({@link ResizeRule#RESIZE_SQUARE}) to
   * {@code [0, 1]}, no normalisation (mean 0, std 1), RGB, NCHW}
   *
   * @param inputSize the side of the square input, in pixels
   * @throws IllegalArgumentException if {@code inputSize} is out of range
   */
  public static ImagePreprocessing squash(int inputSize) {
    return new ImagePreprocessing(
        inputSize,
        ResizeRule.RESIZE_SQUARE,
        1.0,
        ValueRange.UNIT,
        List.of(0.0, 0.0, 0.0),
        List.of(1.0, 1.0, 1.0),
        ChannelOrder.RGB,
        TensorLayout.NCHW);
  }

  /**
   * {@return resize-shorter-side-then-centre-crop preprocessing ({@link
   * ResizeRule#RESIZE_SHORT_SIDE_THEN_CENTER_CROP}) to {@code [0, 1]}, no normalisation, RGB, NCHW}
   *
   * @param inputSize the side of the square crop, in pixels
   * @param cropFraction the crop's share of the resized shorter side, in {@code (0, 1]}
   * @throws IllegalArgumentException if {@code inputSize} or {@code cropFraction} is out of range
   */
  public static ImagePreprocessing centerCrop(int inputSize, double cropFraction) {
    return new ImagePreprocessing(
        inputSize,
        ResizeRule.RESIZE_SHORT_SIDE_THEN_CENTER_CROP,
        cropFraction,
        ValueRange.UNIT,
        List.of(0.0, 0.0, 0.0),
        List.of(1.0, 1.0, 1.0),
        ChannelOrder.RGB,
        TensorLayout.NCHW);
  }

  /**
   * {@return a copy with another value range and per-channel normalisation, e.g. ImageNet's {@code
   * withNormalisation(ValueRange.UNIT, List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224,
   * 0.225))}}
   *
   * @param range the value range of the pixels before normalisation
   * @param channelMean the mean subtracted from each channel, in {@link #channelOrder()} order
   * @param channelStd the positive divisor of each channel, in {@link #channelOrder()} order
   * @throws IllegalArgumentException if {@code mean} or {@code std} is invalid
   */
  public ImagePreprocessing withNormalisation(
      ValueRange range, List<Double> channelMean, List<Double> channelStd) {
    return new ImagePreprocessing(
        inputSize, resizeRule, cropFraction, range, channelMean, channelStd, channelOrder, layout);
  }

  /**
   * {@return a copy with another tensor layout}
   *
   * @param newLayout the tensor layout of the copy
   */
  public ImagePreprocessing withLayout(TensorLayout newLayout) {
    return new ImagePreprocessing(
        inputSize, resizeRule, cropFraction, valueRange, mean, std, channelOrder, newLayout);
  }

  /**
   * {@return a copy with another channel order}
   *
   * @param order the channel order of the copy
   */
  public ImagePreprocessing withChannelOrder(ChannelOrder order) {
    return new ImagePreprocessing(
        inputSize, resizeRule, cropFraction, valueRange, mean, std, order, layout);
  }

  /** {@return the number of values of one preprocessed image, {@code 3 · inputSize²}} */
  public int tensorSize() {
    return CHANNELS * inputSize * inputSize;
  }

  /**
   * Preprocesses one image. Working memory is about 12 bytes per source pixel (an sRGB copy and one
   * float channel at a time); decode very large images at reduced resolution instead of passing
   * them here at full size.
   *
   * @param image any decoded image (not modified)
   * @return a {@code [3, inputSize, inputSize]} or {@code [inputSize, inputSize, 3]} tensor
   * @throws IllegalArgumentException if the image has zero width or height
   */
  public ImageTensor apply(BufferedImage image) {
    Objects.requireNonNull(image, "image");
    int w = image.getWidth();
    int h = image.getHeight();
    if (w < 1 || h < 1) {
      throw new IllegalArgumentException("image must have pixels, got " + w + "×" + h);
    }
    int[] argb = toOpaqueRgb(image).getRGB(0, 0, w, h, null, 0, w);
    Resampling.Plane[] planes = new Resampling.Plane[CHANNELS];
    for (int c = 0; c < CHANNELS; c++) {
      int shift = 16 - 8 * c;
      float[] v = new float[w * h];
      for (int i = 0; i < v.length; i++) {
        v[i] = (argb[i] >>> shift) & 0xff;
      }
      planes[c] = resizePlane(new Resampling.Plane(w, h, v));
    }
    return toTensor(planes);
  }

  private Resampling.Plane resizePlane(Resampling.Plane src) {
    if (resizeRule == ResizeRule.RESIZE_SQUARE) {
      return Resampling.resize(src, inputSize, inputSize);
    }
    int shortSide = Math.min(src.width(), src.height());
    double scale = Math.round(inputSize / cropFraction) / (double) shortSide;
    int rw = Math.max(inputSize, (int) Math.round(src.width() * scale));
    int rh = Math.max(inputSize, (int) Math.round(src.height() * scale));
    Resampling.Plane resized = Resampling.resize(src, rw, rh);
    return Resampling.crop(
        resized, (rw - inputSize) / 2, (rh - inputSize) / 2, inputSize, inputSize);
  }

  private ImageTensor toTensor(Resampling.Plane[] rgb) {
    int n = inputSize * inputSize;
    float[] out = new float[CHANNELS * n];
    for (int c = 0; c < CHANNELS; c++) {
      int source = channelOrder == ChannelOrder.RGB ? c : CHANNELS - 1 - c;
      float[] v = rgb[source].values();
      double scale = valueRange.scale() / std.get(source);
      double offset = mean.get(source) / std.get(source);
      for (int i = 0; i < n; i++) {
        float x = (float) (v[i] * scale - offset);
        out[layout == TensorLayout.NCHW ? c * n + i : i * CHANNELS + c] = x;
      }
    }
    return ImageTensor.wrap(layout, CHANNELS, inputSize, inputSize, out);
  }

  /**
   * Returns {@code image} as opaque 8-bit sRGB ({@code TYPE_INT_RGB}), compositing any alpha on
   * white. Images that already are {@code TYPE_INT_RGB} are returned as they are.
   */
  static BufferedImage toOpaqueRgb(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    BufferedImage rgb =
        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.setComposite(AlphaComposite.SrcOver);
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return rgb;
  }

  /**
   * {@return a canonical one-line description, stable across versions, used in {@link
   * dev.lit4j.model.TowerIdentity#preprocessing()}; equal preprocessings have equal descriptions}
   */
  public String describe() {
    return "size="
        + inputSize
        + ";resize="
        + resizeRule
        + ";crop="
        + cropFraction
        + ";range="
        + valueRange
        + ";mean="
        + mean
        + ";std="
        + std
        + ";order="
        + channelOrder
        + ";layout="
        + layout
        + ";alpha=white;resample=halving-box+bilinear-half-pixel";
  }

  /** {@return this preprocessing as a JSON object, readable by {@link #fromJson(String)}} */
  public String toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("inputSize", inputSize);
    o.addProperty("resizeRule", resizeRule.name());
    o.addProperty("cropFraction", cropFraction);
    o.addProperty("valueRange", valueRange.name());
    o.add("mean", toArray(mean));
    o.add("std", toArray(std));
    o.addProperty("channelOrder", channelOrder.name());
    o.addProperty("layout", layout.name());
    return new Gson().toJson(o);
  }

  private static JsonArray toArray(List<Double> values) {
    JsonArray a = new JsonArray();
    values.forEach(a::add);
    return a;
  }

  /**
   * Reads a preprocessing written by {@link #toJson()}.
   *
   * @param json a JSON object as {@link #toJson()} writes it
   * @return the preprocessing
   * @throws IllegalArgumentException if the JSON is malformed, a field is missing (named) or a
   *     value is invalid
   */
  public static ImagePreprocessing fromJson(String json) {
    Objects.requireNonNull(json, "json");
    try {
      JsonObject o = JsonParser.parseString(json).getAsJsonObject();
      return new ImagePreprocessing(
          field(o, "inputSize").getAsInt(),
          ResizeRule.valueOf(field(o, "resizeRule").getAsString()),
          field(o, "cropFraction").getAsDouble(),
          ValueRange.valueOf(field(o, "valueRange").getAsString()),
          doubles(field(o, "mean").getAsJsonArray()),
          doubles(field(o, "std").getAsJsonArray()),
          ChannelOrder.valueOf(field(o, "channelOrder").getAsString()),
          TensorLayout.valueOf(field(o, "layout").getAsString()));
    } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
      throw new IllegalArgumentException("malformed preprocessing JSON: " + e.getMessage(), e);
    }
  }

  private static com.google.gson.JsonElement field(JsonObject o, String name) {
    if (!o.has(name) || o.get(name).isJsonNull()) {
      throw new IllegalArgumentException(
          "preprocessing JSON lacks field '" + name + "'; present: " + o.keySet());
    }
    return o.get(name);
  }

  private static List<Double> doubles(JsonArray a) {
    List<Double> out = new ArrayList<>();
    a.forEach(e -> out.add(e.getAsDouble()));
    return out;
  }
}
