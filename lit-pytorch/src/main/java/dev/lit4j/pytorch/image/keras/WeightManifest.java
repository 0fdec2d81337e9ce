package dev.lit4j.pytorch.image.keras;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Decodes the TF.js weights manifest: the shards of each group are concatenated and the tensors
 * read from them in manifest order, little-endian. Quantised tensors ({@code quantization.dtype}
 * {@code uint8} or {@code uint16}) are dequantised as {@code value = q · scale + min}, the affine
 * scheme of {@code tf.io.decodeWeights} (TF.js {@code io_utils.ts}).
 */
final class WeightManifest {
  private WeightManifest() {}

  /**
   * A float32 tensor in Keras (NHWC) layout whose values are dequantised on first use: a model
   * whose converted weights are cached never decodes them.
   */
  static final class Tensor {
    private final int[] shape;
    private final int size;
    private final Supplier<float[]> decoder;
    private float[] values;

    Tensor(int[] shape, int size, Supplier<float[]> decoder) {
      this.shape = shape;
      this.size = size;
      this.decoder = decoder;
    }

    int[] shape() {
      return shape;
    }

    int size() {
      return size;
    }

    /** {@return the values, decoded on the first call} */
    synchronized float[] values() {
      if (values == null) {
        values = decoder.get();
      }
      return values;
    }
  }

  /**
   * Decodes every tensor of {@code manifest}; {@code groups[i]} holds the concatenated shards of
   * manifest group {@code i}.
   */
  static Map<String, Tensor> decode(JsonArray manifest, byte[][] groups) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (int g = 0; g < manifest.size(); g++) {
      ByteBuffer buf = ByteBuffer.wrap(groups[g]).order(ByteOrder.LITTLE_ENDIAN);
      for (JsonElement e : manifest.get(g).getAsJsonObject().getAsJsonArray("weights")) {
        JsonObject w = e.getAsJsonObject();
        String name = w.get("name").getAsString();
        JsonArray shapeJson = w.getAsJsonArray("shape");
        int[] shape = new int[shapeJson.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
          shape[i] = shapeJson.get(i).getAsInt();
          count *= shape[i];
        }
        String dtype = w.get("dtype").getAsString();
        if (!dtype.equals("float32")) {
          throw new IllegalArgumentException(
              "weight '" + name + "' has dtype " + dtype + "; only float32 weights are supported");
        }
        int size = Math.toIntExact(count);
        JsonObject q = w.has("quantization") ? w.getAsJsonObject("quantization") : null;
        int bytesPerValue =
            q == null
                ? 4
                : switch (q.get("dtype").getAsString()) {
                  case "uint8" -> 1;
                  case "uint16" -> 2;
                  default ->
                      throw new IllegalArgumentException(
                          "weight '"
                              + name
                              + "' is quantised as "
                              + q.get("dtype").getAsString()
                              + "; supported: uint8, uint16 (affine scale/min)");
                };
        if (buf.remaining() < count * bytesPerValue) {
          throw new IllegalArgumentException(
              "weight shard of group "
                  + g
                  + " ends inside weight '"
                  + name
                  + "': needs "
                  + count * bytesPerValue
                  + " bytes, "
                  + buf.remaining()
                  + " left; the shards are truncated or do not match model.json");
        }
        if (q != null && (!q.has("scale") || !q.has("min"))) {
          throw new IllegalArgumentException(
              "weight '" + name + "' is quantised without scale and min: " + q);
        }
        // The tensor's own view of its bytes, decoded when its values are first asked for.
        ByteBuffer bytes =
            buf.slice(buf.position(), size * bytesPerValue).order(ByteOrder.LITTLE_ENDIAN);
        buf.position(buf.position() + size * bytesPerValue);
        double scale = q == null ? 1 : q.get("scale").getAsDouble();
        double min = q == null ? 0 : q.get("min").getAsDouble();
        Supplier<float[]> decoder = () -> dequantise(bytes, size, bytesPerValue, scale, min);
        if (out.put(name, new Tensor(shape, size, decoder)) != null) {
          throw new IllegalArgumentException("weight '" + name + "' appears twice in the manifest");
        }
      }
      if (buf.hasRemaining()) {
        throw new IllegalArgumentException(
            "weight group "
                + g
                + " has "
                + buf.remaining()
                + " bytes after its last weight; the shards do not match model.json");
      }
    }
    return out;
  }

  /**
   * {@code size} float32 values, or quantised ones as {@code q · scale + min}, from {@code bytes}.
   */
  private static float[] dequantise(
      ByteBuffer bytes, int size, int bytesPerValue, double scale, double min) {
    float[] values = new float[size];
    ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (bytesPerValue == 4) {
      b.asFloatBuffer().get(values);
      return values;
    }
    for (int i = 0; i < size; i++) {
      int raw = bytesPerValue == 1 ? b.get() & 0xff : b.getShort() & 0xffff;
      values[i] = (float) (raw * scale + min);
    }
    return values;
  }
}
